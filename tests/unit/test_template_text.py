"""The templates' gettext keeps Jinja's newstyle contract: markup in, values escaped into it."""

from certify.text import catalogue
from certify.web import template_text
from certify.web.site import template_config


def _render(source: str, **values: object) -> str:
    engine = template_config().to_engine()
    return engine.engine.from_string(source).render(**values)


def test_a_value_put_into_a_translation_is_escaped() -> None:
    with catalogue.use("sv"):
        page = _render('{{ _("Punkt %(number)s", number=value) }}', value="<script>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_a_trans_block_keeps_its_markup_and_its_percent_sign() -> None:
    with catalogue.use("sv"):
        page = _render('{% include "partials/print_advice.html" %}')
    assert "<strong>100 % storlek</strong>" in page


def test_the_plural_follows_the_number_in_the_language_of_the_request() -> None:
    singular, plural = "Det finns ett fel att rätta", "Det finns %(num)d fel att rätta"
    with catalogue.use("en"):
        assert template_text.ngettext(singular, plural, 1) == "There is one error to correct"
        assert template_text.ngettext(singular, plural, 3) == "There are 3 errors to correct"
