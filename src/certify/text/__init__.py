"""The text layer: catalogues (gettext, Babel), the language of the moment, and the vocabulary."""

from certify.text.catalogue import N_, _, current, current_locale, gettext, ngettext, pgettext, use

__all__ = ["N_", "_", "current", "current_locale", "gettext", "ngettext", "pgettext", "use"]
