"""The text layer: the language of a request, and the shared layout's words from the catalogue."""

from __future__ import annotations

import httpx
import lxml.html

from certify.domain.status import Role
from certify.text.languages import choose, from_accept_language
from tests.conftest import World
from tests.pseudo import PSEUDO, assert_page_marked

KOMMUN = "Borlänge kommun"


def _html_language(page: httpx.Response) -> tuple[str, str]:
    root = lxml.html.document_fromstring(page.text)
    return root.get("lang", ""), root.get("dir", "")


async def test_the_layout_has_no_word_outside_the_catalogue(
    anonymous: httpx.AsyncClient, pseudo_language: str
) -> None:
    page = await anonymous.get(f"/?lang={PSEUDO}")
    assert page.status_code == 200
    root = lxml.html.document_fromstring(page.text)
    layout = [
        lxml.html.tostring(element, encoding="unicode")
        for element in root.xpath("//header|//footer|//a[@class='skip-link']")
    ]
    assert layout
    for part in layout:
        assert_page_marked("the layout", part, data=[KOMMUN])


async def test_lang_parameter_chooses_and_the_cookie_keeps_it(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/?lang=ar")
    assert _html_language(page) == ("ar", "rtl")
    assert "certify_lang=ar" in page.headers["set-cookie"]
    again = await anonymous.get("/")
    assert _html_language(again) == ("ar", "rtl")


async def test_accept_language_decides_without_a_choice(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/", headers={"accept-language": "fi-FI, en;q=0.8"})
    assert _html_language(page) == ("fi", "ltr")


async def test_unknown_language_falls_back_to_swedish(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/?lang=xx", headers={"accept-language": "de, tlh"})
    assert page.status_code == 200
    assert _html_language(page) == ("sv", "ltr")
    assert "certify_lang" not in page.headers.get("set-cookie", "")


async def test_a_logged_in_choice_is_kept_on_the_account(world: World, new_client: object) -> None:
    await world.kommun()
    owner = await world.user(Role.owner)
    browser = await world.login(owner)
    chosen = await browser.get("/mitt-konto?lang=en")
    assert _html_language(chosen) == ("en", "ltr")
    elsewhere = await world.login(owner)  # another browser, no cookie: the account decides
    page = await elsewhere.get("/mitt-konto")
    assert _html_language(page) == ("en", "ltr")


async def test_every_language_link_names_the_language_in_itself(anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/?lang=en")
    root = lxml.html.document_fromstring(page.text)
    links = {a.get("lang"): a.text_content() for a in root.xpath("//nav[@class='language-choice']//a")}
    assert links == {"sv": "Svenska", "en": "English", "ar": "العربية", "fi": "Suomi"}


def test_choice_order_and_weights() -> None:
    assert from_accept_language("en;q=0.5, fi;q=0.9") == "fi"
    assert from_accept_language("fi;q=0, en") == "en"
    assert choose(requested="fi", account="en", cookie="ar", accept_language="sv") == "fi"
    assert choose(requested=None, account="en", cookie="ar", accept_language="sv") == "en"
    assert choose(requested="zz", account=None, cookie="ar", accept_language="fi") == "ar"
    assert choose(requested=None, account=None, cookie=None, accept_language=None) == "sv"


def test_the_catalogue_template_holds_every_message_of_the_code() -> None:
    """`certify catalogue` was run after the last change of a worded text."""
    from babel.messages.pofile import read_po

    from certify.text import extraction

    with extraction.TEMPLATE_PATH.open("rb") as committed:
        on_file = {(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(committed) if m.id}
    in_code = {(m.id if isinstance(m.id, str) else m.id[0]) for m in extraction.extract() if m.id}
    assert in_code == on_file, "run `certify catalogue`"


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    import re

    from babel.messages.pofile import read_po

    from certify.text.catalogue import DEFAULT, catalogue_path
    from certify.text.languages import LANGUAGES

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
    for code, language in LANGUAGES.items():
        if code == DEFAULT:
            continue
        with catalogue_path(code).open("rb") as po:
            catalog = read_po(po, locale=language.locale)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings), f"{code}: no translation of {ids[0]!r}"
            expected = {found for id_ in ids for found in placeholder.findall(id_)}
            for string in strings:
                # A plural form may leave the count out ("one point"), never a named value.
                found = set(placeholder.findall(string))
                assert found <= expected, f"{code}: unknown placeholder in {ids[0]!r}: {found - expected}"
                missing = {p for p in expected - found if "num" not in p}
                assert not missing, f"{code}: {ids[0]!r} lacks {missing}"
