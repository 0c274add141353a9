"""Who hears about what: workflow events turned into e-mails in each recipient's language (pure, no I/O).

services/notifications.py gathers the facts and stores what this module returns in the outbox,
inside the transaction of the event, so a message exists exactly when its event does. Every message
is composed inside `catalogue.use(<the recipient's language>)`: its words through `_()`/`ngettext`
and its dates through certify.formatting, in that language (Swedish when the recipient chose none).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from certify.domain.actions import ACTIONS, Audience
from certify.domain.links import case_url
from certify.domain.status import Role
from certify.formatting import format_date, format_weekday_datetime
from certify.text import catalogue
from certify.text.catalogue import N_, _, ngettext
from certify.text.languages import language
from certify.text.vocabulary import programme

EVENT_AUDIENCES: Mapping[str, frozenset[Audience]] = {
    "reschedule": frozenset({Audience.owner}),
    "reminder_90": frozenset({Audience.owner}),
    "reminder_30": frozenset({Audience.owner}),
    "business_change_accepted": frozenset({Audience.owner}),
    "business_change_rejected": frozenset({Audience.owner}),
    "corrections_overdue": frozenset({Audience.kommun}),
    "business_change_reported": frozenset({Audience.kommun}),
    "material_change_reported": frozenset({Audience.kommun}),
    "material_change_noted": frozenset({Audience.owner}),
    "material_change_reinspection": frozenset({Audience.owner}),
    "reinspection_revoked": frozenset({Audience.owner, Audience.kommun}),
}
"""Who hears about the events that are not workflow actions (those say it in domain/actions.py)."""


def audiences(event: str) -> frozenset[Audience]:
    """Who hears about an event by e-mail: the action's spec, or the table above."""
    action = ACTIONS.get(event)
    return action.notifies if action is not None else EVENT_AUDIENCES.get(event, frozenset())


@dataclass(frozen=True, slots=True)
class Recipient:
    address: str
    language: str = ""  # the person's chosen language (users.language); "" = Swedish


@dataclass(frozen=True, slots=True)
class CaseNotice:
    """What an event's messages may mention; every field is read by at least one template."""

    action: str
    base_url: str
    application_id: int | None
    business_name: str
    business_id: int = 0
    owners: tuple[Recipient, ...] = ()  # every representative of the shop, or the shop's own address
    inspector_name: str = ""
    inspector: Recipient | None = None
    kommun_name: str = ""
    kommun_officers: tuple[Recipient, ...] = ()
    visit_at: datetime | None = None  # already in Swedish local time
    previous_visit_at: datetime | None = None  # a rebooking's old time, in Swedish local time
    inspector_changed: bool = False  # a rebooking gave the case another inspector
    deadline: date | None = None
    certificate: str = ""
    reason: str = ""
    days_left: int | None = None
    proposed: tuple[tuple[str, str], ...] = ()  # a reported change: (field, new value)


@dataclass(frozen=True, slots=True)
class Message:
    kind: str
    recipient: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class _Draft:
    subject: str
    paragraphs: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)


_BLANKS = re.compile(r"\s+")


def header_value(raw: str) -> str:
    """Text that is safe in an e-mail header: line breaks and other control characters removed.

    A shop's name or a person's name ends up in the Subject and To headers; a CR/LF there would add
    headers of the sender's choosing (and the mail library refuses to build such a message).
    """
    kept = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
        for ch in raw
        if unicodedata.category(ch) != "Cf"
    )
    return _BLANKS.sub(" ", kept).strip()


def _signature(sender: str) -> str:
    return _("Med vänlig hälsning") + "\n" + sender


def _programme_signature(sender: str) -> str:
    """Signed by a kommun (or "Kommunen") on behalf of the programme."""
    return _signature(_("{sender} – Skydd mot rån i handeln").format(sender=sender or _("Kommunen")))


def render(kind: str, recipient: str, draft: _Draft, signature: str) -> Message:
    """The same words as plain text and as simple HTML (escaped, no external resources), marked
    with the language of the moment and its direction (a right-to-left mail reads right-to-left).

    Every message is built here, so this is the one place its header values are made safe.
    """
    text_parts = [*draft.paragraphs, *(f"{label}: {url}" for label, url in draft.links), signature]
    html_parts = [f"<p>{html.escape(p)}</p>" for p in draft.paragraphs]
    html_parts += [
        f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>' for label, url in draft.links
    ]
    html_parts.append(f"<p>{html.escape(signature)}</p>")
    code = catalogue.current()
    direction = language(code).direction
    return Message(
        kind=kind,
        recipient=header_value(recipient),
        subject=header_value(draft.subject),
        text="\n\n".join(text_parts) + "\n",
        html=f'<!doctype html><html lang="{html.escape(code)}" dir="{direction}"><body>'
        + "".join(html_parts)
        + "</body></html>",
    )


def _when(moment: datetime | None) -> str:
    if moment is None:
        return _("tid meddelas senare")
    return format_weekday_datetime(moment)


def _case_link(n: CaseNotice, reader: Role) -> tuple[str, str]:
    """The case's page for the recipient's role (see domain/links.py)."""
    assert n.application_id is not None
    return (_("Ärendet"), case_url(n.base_url, reader, n.application_id, n.business_id))


def _is_rebooking(n: CaseNotice) -> bool:
    return n.action == "reschedule" or (n.action == "assign" and n.previous_visit_at is not None)


def _rebooked(n: CaseNotice) -> list[str]:
    return [
        _("Besiktningen av {shop} är ombokad.").format(shop=n.business_name),
        _("Ny tid: {when}.").format(when=_when(n.visit_at)),
        _("Den tidigare tiden, {when}, gäller inte längre.").format(when=_when(n.previous_visit_at)),
    ]


def _inspector_line(n: CaseNotice) -> str:
    return _("Besiktningsperson: {name}.").format(name=n.inspector_name or _("meddelas senare"))


def _reason_line(n: CaseNotice) -> str:
    return _("Skäl: {reason}.").format(reason=n.reason or _("inget angivet"))


CHANGE_FIELD_LABELS = {
    "name": N_("Namn"),
    "street_address": N_("Gatuadress"),
    "postal_code": N_("Postnummer"),
    "city": N_("Ort"),
}
"""The fields of a reported change (anmäld ändring) as e-mails and pages name them (N_: translate
with `_()` where shown)."""


def _proposed_lines(n: CaseNotice) -> list[str]:
    return [
        _("{field}: {value}").format(
            field=_(CHANGE_FIELD_LABELS[name]) if name in CHANGE_FIELD_LABELS else name, value=value
        )
        for name, value in n.proposed
    ]


# --- the owner's mails ------------------------------------------------------------------------


def _submitted(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Ansökan mottagen – {shop}").format(shop=n.business_name),
        [
            _("Vi har tagit emot ansökan om certifiering för {shop}.").format(shop=n.business_name),
            _("Kommunen utser en besiktningsperson och ni får ett nytt meddelande när besöket är bokat."),
        ],
        [_case_link(n, Role.owner)],
    )


def _booked(n: CaseNotice) -> _Draft:
    if _is_rebooking(n):
        return _Draft(
            _("Besiktningen ombokad – {shop}").format(shop=n.business_name),
            [*_rebooked(n), _inspector_line(n)],
            [_case_link(n, Role.owner)],
        )
    return _Draft(
        _("Besiktning bokad – {shop}").format(shop=n.business_name),
        [
            _("Besiktningen av {shop} är bokad {when}.").format(shop=n.business_name, when=_when(n.visit_at)),
            _inspector_line(n),
        ],
        [_case_link(n, Role.owner)],
    )


def _corrections(n: CaseNotice) -> _Draft:
    deadline = format_date(n.deadline) if n.deadline else _("enligt ärendet")
    return _Draft(
        _("Åtgärder krävs – {shop}").format(shop=n.business_name),
        [
            _("Vid besiktningen av {shop} uppfylldes inte alla punkter.").format(shop=n.business_name),
            # Which points failed and why stays in the case (domain/secrecy.py): a mail says where.
            _("Vilka punkter det gäller och besiktningspersonens anteckningar ser ni i ärendet."),
            _("Åtgärda bristerna senast {deadline} och anmäl dem sedan i ärendet.").format(deadline=deadline),
        ],
        [_case_link(n, Role.owner)],
    )


def _certified(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Certifierad – {shop}").format(shop=n.business_name),
        [
            _("Grattis! {shop} är certifierad enligt Skydd mot rån i handeln (intyg {certificate}).").format(
                shop=n.business_name, certificate=n.certificate
            ),
            _("Sätt upp dekalen Säkerhetsskyddad vid entrén. Intyget gäller i två år."),
        ],
        [
            (_("Intyget"), f"{n.base_url}/arenden/{n.application_id}/intyg.pdf"),
            (_("Dekalen"), f"{n.base_url}/arenden/{n.application_id}/dekal.pdf"),
            (_("Kontrollsidan"), f"{n.base_url}/verify/{n.certificate}"),
        ],
    )


def _revoked(n: CaseNotice) -> _Draft:
    revoked = (
        _("Kommunen har återkallat intyg {certificate} för {shop}.").format(
            certificate=n.certificate, shop=n.business_name
        )
        if n.certificate
        else _("Kommunen har återkallat intyget för {shop}.").format(shop=n.business_name)
    )
    return _Draft(
        _("Intyget återkallat – {shop}").format(shop=n.business_name),
        [
            revoked,
            _reason_line(n),
            _("Ta ner dekalen Säkerhetsskyddad. Kontakta kommunen om ni vill certifiera butiken igen."),
        ],
        [_case_link(n, Role.owner)],
    )


def _change_accepted(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Ändringen är godkänd – {shop}").format(shop=n.business_name),
        [
            _("Kommunen har godkänt den anmälda ändringen av butikens uppgifter:"),
            *_proposed_lines(n),
            _("De nya uppgifterna visas nu i det öppna registret och på kontrollsidan."),
        ],
        [_case_link(n, Role.owner)],
    )


def _change_rejected(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Ändringen är avslagen – {shop}").format(shop=n.business_name),
        [
            _("Kommunen har avslagit den anmälda ändringen av butikens uppgifter."),
            _reason_line(n),
            _("Registret och kontrollsidan visar fortfarande uppgifterna från besiktningen."),
        ],
        [_case_link(n, Role.owner)],
    )


# A reported material change: what changed is a security detail and stays in the service; the
# mails say that something was reported or decided, and where to read it.


def _material_change_noted(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Förändringen är noterad – {shop}").format(shop=n.business_name),
        [
            _("Kommunen har noterat den förändring ni anmälde för {shop}.").format(shop=n.business_name),
            _("Intyg {certificate} gäller som tidigare. Förändringen finns kvar i intygets historik.").format(
                certificate=n.certificate
            ),
        ],
        [_case_link(n, Role.owner)],
    )


def _material_change_reinspection(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Ombesiktning krävs – {shop}").format(shop=n.business_name),
        [
            _("Efter den förändring ni anmälde kräver kommunen en ny besiktning av {shop}.").format(
                shop=n.business_name
            ),
            _(
                "Intyg {certificate} gäller medan ombesiktningen pågår. Kommunen bokar besöket och ni "
                "får ett nytt meddelande när det är bokat. Era tidigare svar i egenkontrollen finns kvar."
            ).format(certificate=n.certificate),
        ],
        [_case_link(n, Role.owner)],
    )


def _reinspection_revoked(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Intyget återkallat – {shop}").format(shop=n.business_name),
        [
            _(
                "Ombesiktningen av {shop} efter den anmälda förändringen avslogs, och intyg "
                "{certificate} är därför återkallat."
            ).format(shop=n.business_name, certificate=n.certificate),
            _("Skälet finns i ärendet."),
            _("Ta ner dekalen Säkerhetsskyddad. Kontakta kommunen om ni vill certifiera butiken igen."),
        ],
        [_case_link(n, Role.owner)],
    )


def _reminder(n: CaseNotice) -> _Draft:
    days = n.days_left or 0
    return _Draft(
        ngettext(
            "Intyget går ut om %(num)d dag – %(shop)s",
            "Intyget går ut om %(num)d dagar – %(shop)s",
            days,
            shop=n.business_name,
        ),
        [
            ngettext(
                "Intyg %(certificate)s för %(shop)s går ut om %(num)d dag.",
                "Intyg %(certificate)s för %(shop)s går ut om %(num)d dagar.",
                days,
                certificate=n.certificate,
                shop=n.business_name,
            ),
            _("Ansök om ombesiktning i god tid så att butiken fortsätter att vara certifierad."),
        ],
        [_case_link(n, Role.owner)],
    )


_OWNER_DRAFTS: Mapping[str, Callable[[CaseNotice], _Draft]] = {
    "submit": _submitted,
    "assign": _booked,
    "reschedule": _booked,
    "require_corrections": _corrections,
    "approve": _certified,
    "revoke": _revoked,
    "business_change_accepted": _change_accepted,
    "business_change_rejected": _change_rejected,
    "material_change_noted": _material_change_noted,
    "material_change_reinspection": _material_change_reinspection,
    "reinspection_revoked": _reinspection_revoked,
    "reminder_90": _reminder,
    "reminder_30": _reminder,
}
"""The owner's mail for each event the owner hears about (see audiences)."""


# --- the inspector's and the kommun's mails ---------------------------------------------------


def _assigned(n: CaseNotice) -> _Draft:
    if _is_rebooking(n) and not n.inspector_changed:
        return _Draft(
            _("Ombokad besiktning – {shop}").format(shop=n.business_name),
            _rebooked(n),
            [_case_link(n, Role.inspector)],
        )
    return _Draft(
        _("Nytt uppdrag – {shop}").format(shop=n.business_name),
        [
            _("Du har tilldelats besiktningen av {shop}, {when}.").format(
                shop=n.business_name, when=_when(n.visit_at)
            ),
            _("Ärendet finns i din kö."),
        ],
        [_case_link(n, Role.inspector)],
    )


def _overdue(n: CaseNotice) -> _Draft:
    deadline = format_date(n.deadline) if n.deadline else _("okänt datum")
    return _Draft(
        _("Tidsfristen har passerat – {shop}").format(shop=n.business_name),
        [
            _(
                "Tidsfristen för åtgärder ({deadline}) har passerat för {shop} "
                "utan att åtgärderna har anmälts."
            ).format(deadline=deadline, shop=n.business_name),
            _("Kontakta butiken eller avslå ansökan."),
        ],
        [_case_link(n, Role.kommun)],
    )


def _change_reported(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Anmäld ändring av namn eller adress – {shop}").format(shop=n.business_name),
        [
            _("{shop} är certifierad och har anmält en ändring av uppgifter som intyget bygger på:").format(
                shop=n.business_name
            ),
            *_proposed_lines(n),
            _(
                "Ändringen syns i det öppna registret och på kontrollsidan först när kommunen har "
                "godkänt den. Godkänn eller avslå den i ärendet."
            ),
        ],
        [_case_link(n, Role.kommun)],
    )


def _material_change_reported(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Anmäld väsentlig förändring – {shop}").format(shop=n.business_name),
        [
            _(
                "{shop} har intyg {certificate} och har anmält en förändring som kan påverka säkerhetsnivån."
            ).format(shop=n.business_name, certificate=n.certificate),
            _("Läs anmälan i tjänsten och ta ställning: notera den eller kräv en ombesiktning."),
        ],
        [_case_link(n, Role.kommun)],
    )


def _reinspection_revoked_kommun(n: CaseNotice) -> _Draft:
    return _Draft(
        _("Intyg {certificate} återkallat efter ombesiktning – {shop}").format(
            certificate=n.certificate, shop=n.business_name
        ),
        [
            _(
                "Ombesiktningen efter den anmälda förändringen avslogs och intyg {certificate} är återkallat."
            ).format(certificate=n.certificate),
        ],
        [_case_link(n, Role.kommun)],
    )


_INSPECTOR_DRAFTS: Mapping[str, Callable[[CaseNotice], _Draft]] = {"assign": _assigned}
_KOMMUN_DRAFTS: Mapping[str, Callable[[CaseNotice], _Draft]] = {
    "corrections_overdue": _overdue,
    "business_change_reported": _change_reported,
    "material_change_reported": _material_change_reported,
    "reinspection_revoked": _reinspection_revoked_kommun,
}


def _to(
    n: CaseNotice, kind: str, recipient: Recipient, drafts: Mapping[str, Callable[[CaseNotice], _Draft]]
) -> Message | None:
    """One recipient's mail, composed in the recipient's language."""
    compose = drafts.get(n.action)
    if compose is None or not recipient.address:
        return None
    with catalogue.use(recipient.language):
        return render(kind, recipient.address, compose(n), _programme_signature(n.kommun_name))


def messages_for(n: CaseNotice) -> list[Message]:
    """The e-mails an event causes: the shop's representatives, the assigned inspector, or the
    kommun's case officers."""
    who = audiences(n.action)
    sent: list[Message | None] = []
    if Audience.owner in who:
        sent.extend(_to(n, n.action, owner, _OWNER_DRAFTS) for owner in n.owners)
    if Audience.inspector in who and n.inspector is not None:
        sent.append(_to(n, "assigned", n.inspector, _INSPECTOR_DRAFTS))
    if Audience.kommun in who:
        sent.extend(_to(n, n.action, officer, _KOMMUN_DRAFTS) for officer in n.kommun_officers)
    return [message for message in sent if message is not None]


# --- mails outside a case ---------------------------------------------------------------------


def invitation(
    *, recipient: Recipient, business_name: str, kommun_name: str, link: str, expires_on: date
) -> Message:
    """The kommun invites an imported shop to sign up and claim it."""
    with catalogue.use(recipient.language):
        kommun_name = kommun_name or _("Kommunen")
        draft = _Draft(
            _("Inbjudan: certifiera {shop} mot rån").format(shop=business_name),
            [
                _(
                    "{kommun} erbjuder alla butiker certifiering enligt Skydd mot rån i handeln, "
                    "ett samarbete mellan polisen, handeln och Brå."
                ).format(kommun=kommun_name),
                _(
                    "Skapa ett konto och koppla {shop} till det med länken nedan. Länken gäller till {date}."
                ).format(shop=business_name, date=format_date(expires_on)),
            ],
            [(_("Kom igång"), link)],
        )
        return render("invitation", recipient.address, draft, _signature(kommun_name))


def password_reset(
    *, recipient: Recipient, name: str, link: str, valid_minutes: int, sender_name: str, sent_by_kommun: bool
) -> Message:
    """A link to choose a new password: asked for by the user, or sent by the kommun on request.

    `sender_name` is a kommun's name, or "" when no kommun signs (the programme does)."""
    with catalogue.use(recipient.language):
        sender = sender_name or programme()
        why = (
            _(
                "{sender} har skickat dig en länk så att du kan välja ett nytt lösenord till ditt konto "
                "i tjänsten Skydd mot rån i handeln."
            ).format(sender=sender)
            if sent_by_kommun
            else _(
                "Någon, förhoppningsvis du, har bett om att få välja ett nytt lösenord till ditt konto "
                "i tjänsten Skydd mot rån i handeln."
            )
        )
        draft = _Draft(
            _("Välj ett nytt lösenord – Skydd mot rån i handeln"),
            [
                _("Hej {name}!").format(name=name),
                why,
                ngettext(
                    "Länken gäller i %(num)d minut och kan bara användas en gång. När du har valt ett nytt "
                    "lösenord loggas du ut överallt där du är inloggad.",
                    "Länken gäller i %(num)d minuter och kan bara användas en gång. När du har valt ett nytt "
                    "lösenord loggas du ut överallt där du är inloggad.",
                    valid_minutes,
                ),
                _(
                    "Har du inte bett om ett nytt lösenord kan du bortse från det här meddelandet. "
                    "Ditt lösenord är då oförändrat."
                ),
            ],
            [(_("Välj ett nytt lösenord"), link)],
        )
        return render("password_reset", recipient.address, draft, _signature(sender))


def inspector_linked(
    *, recipient: Recipient, inspector_name: str, kommun_name: str, login_link: str
) -> Message:
    """A kommun adds an inspector who already has an account (he serves another kommun too)."""
    with catalogue.use(recipient.language):
        kommun_name = kommun_name or _("Kommunen")
        draft = _Draft(
            _("Du är besiktningsperson för {kommun}").format(kommun=kommun_name),
            [
                _("Hej {name}!").format(name=inspector_name),
                _(
                    "{kommun} har lagt till dig som besiktningsperson. Du loggar in med ditt vanliga "
                    "konto och ser kommunens ärenden när de tilldelas dig."
                ).format(kommun=kommun_name),
                _("Om du inte känner igen detta, kontakta kommunen."),
            ],
            [(_("Logga in"), login_link)],
        )
        return render("inspector_linked", recipient.address, draft, _signature(kommun_name))


def account_exists(*, recipient: Recipient, login_link: str, reset_link: str) -> Message:
    """Someone tried to sign up with an address that already has an account (maybe its owner)."""
    with catalogue.use(recipient.language):
        draft = _Draft(
            _("Du har redan ett konto"),
            [
                _(
                    "Någon försökte skapa ett konto i Skydd mot rån i handeln med den här e-postadressen. "
                    "Det finns redan ett konto för adressen, så inget nytt konto skapades."
                ),
                _(
                    "Var det du? Logga in med ditt befintliga konto. "
                    "Var det inte du kan du bortse från meddelandet."
                ),
            ],
            [(_("Logga in"), login_link), (_("Glömt lösenordet?"), reset_link)],
        )
        return render("account_exists", recipient.address, draft, _signature(programme()))


def representative_invitation(
    *, recipient: Recipient, business_name: str, inviter_name: str, link: str, expires_on: date
) -> Message:
    """A representative of a company invites another person to act for it too."""
    with catalogue.use(recipient.language):
        draft = _Draft(
            _("Inbjudan: företräd {shop} i Skydd mot rån i handeln").format(shop=business_name),
            [
                _(
                    "{name} har bjudit in dig att företräda företaget bakom {shop} i tjänsten "
                    "Skydd mot rån i handeln."
                ).format(name=inviter_name, shop=business_name),
                _(
                    "Logga in eller skapa ett konto med länken nedan och ange hur du får företräda "
                    "företaget: som firmatecknare eller som ombud med fullmakt. Länken kan användas en "
                    "gång och gäller till {date}."
                ).format(date=format_date(expires_on)),
                _("Om du inte känner igen detta kan du bortse från meddelandet."),
            ],
            [(_("Ta emot inbjudan"), link)],
        )
        return render("representative_invitation", recipient.address, draft, _signature(programme()))


def chain_invitation(
    *, recipient: Recipient, chain_name: str, inviter_name: str, link: str, expires_on: date
) -> Message:
    """A chain's representative invites a shop's owner to let the shop join the chain."""
    with catalogue.use(recipient.language):
        draft = _Draft(
            _("Inbjudan: låt din butik gå med i kedjan {chain}").format(chain=chain_name),
            [
                _(
                    "{name} har bjudit in dig att låta din butik gå med i kedjan {chain} i tjänsten "
                    "Skydd mot rån i handeln."
                ).format(name=inviter_name, chain=chain_name),
                _(
                    "Logga in med länken nedan och välj vilken av dina butiker som går med. Kedjan ser "
                    "då butikens namn, kommun och status, aldrig dina svar. Länken kan användas en gång "
                    "och gäller till {date}."
                ).format(date=format_date(expires_on)),
                _("Om du inte känner igen detta kan du bortse från meddelandet."),
            ],
            [(_("Ta emot inbjudan"), link)],
        )
        return render("chain_invitation", recipient.address, draft, _signature(programme()))


def chain_corrections_required(
    *, recipient: Recipient, chain_name: str, kommun_name: str, case_number: int, points: list[int], link: str
) -> Message:
    """The inspector of a chain case requires corrections: the chain's representatives hear it."""
    with catalogue.use(recipient.language):
        draft = _Draft(
            _("Kedjeärende {number}: åtgärder krävs").format(number=case_number),
            [
                _(
                    "Besiktningen av kedjan {chain} i {kommun} visar brister i punkterna {points}. "
                    "Åtgärda bristerna."
                ).format(chain=chain_name, kommun=kommun_name, points=", ".join(str(p) for p in points)),
                _(
                    "Innan ni rapporterar åtgärderna anger ni för varje medlemsbutik om samma brist finns "
                    "där. Därefter utökas stickprovet med fler butiker."
                ),
            ],
            [(_("Öppna kedjeärendet"), link)],
        )
        return render("chain_corrections_required", recipient.address, draft, _signature(kommun_name))


def fullmakt_requested(*, recipient: Recipient, business_name: str, kommun_name: str, link: str) -> Message:
    """The kommun asks a representative for the fullmakt that lets him act for the company."""
    with catalogue.use(recipient.language):
        kommun_name = kommun_name or _("Kommunen")
        draft = _Draft(
            _("{shop}: kommunen begär en fullmakt").format(shop=business_name),
            [
                _(
                    "{kommun} behöver se att du får företräda företaget bakom {shop} innan "
                    "besiktningen bokas."
                ).format(kommun=kommun_name, shop=business_name),
                _(
                    "Ladda upp en fullmakt från företagets firmatecknare, som PDF eller bild, med länken "
                    "nedan. Besiktningen kan bokas när fullmakten är uppladdad."
                ),
            ],
            [(_("Ladda upp fullmakten"), link)],
        )
        return render("fullmakt_requested", recipient.address, draft, _signature(kommun_name))
