"""Gettext for the templates, with Jinja's newstyle meaning but none of its per-call dispatch.

Jinja's i18n extension wraps each callable so that every `{{ _("…") }}` resolves `gettext` in the
context and calls it through `Context.call` (twice for `_`): on a page of a few hundred words that
dispatch cost more than the translation. These functions keep the newstyle contract — the
translation is markup, the values are escaped into it, and it is always a format string (`%%` is a
percent sign) — and read the catalogue of the request's language directly. The templates are
always autoescaped (Litestar's Jinja engine), so the markup is unconditional.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from certify.text import catalogue


def gettext(message: str, /, **variables: Any) -> Markup:
    return Markup(catalogue.translation().gettext(message)) % variables


def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
    variables.setdefault("num", num)
    return Markup(catalogue.translation().ngettext(singular, plural, num)) % variables


def pgettext(context: str, message: str, /, **variables: Any) -> Markup:
    variables.setdefault("context", context)
    return Markup(catalogue.translation().pgettext(context, message)) % variables


CALLABLES = {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext}
