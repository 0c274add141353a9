"""Who hears about what: workflow events turned into Swedish e-mails (pure, no I/O).

services/notifications.py gathers the facts and stores what this module returns in the outbox,
inside the transaction of the event, so a message exists exactly when its event does.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from certify.domain.checklist import POINT_COUNT
from certify.domain.links import case_url
from certify.domain.status import Role
from certify.formatting import format_date, format_weekday_datetime


@dataclass(frozen=True, slots=True)
class FailedPoint:
    point: int
    remark: str


@dataclass(frozen=True, slots=True)
class CaseNotice:
    """What an event's messages may mention; every field is read by at least one template."""

    action: str
    base_url: str
    application_id: int | None
    business_name: str
    business_id: int = 0
    owner_email: str = ""
    inspector_name: str = ""
    inspector_email: str = ""
    kommun_name: str = ""
    kommun_emails: tuple[str, ...] = ()
    visit_at: datetime | None = None  # already in Swedish local time
    previous_visit_at: datetime | None = None  # a rebooking's old time, in Swedish local time
    inspector_changed: bool = False  # a rebooking gave the case another inspector
    deadline: date | None = None
    failed: tuple[FailedPoint, ...] = ()
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


def render(kind: str, recipient: str, draft: _Draft, signature: str) -> Message:
    """The same words as plain text and as simple HTML (escaped, no external resources).

    Every message is built here, so this is the one place its header values are made safe.
    """
    text_parts = [*draft.paragraphs, *(f"{label}: {url}" for label, url in draft.links), signature]
    html_parts = [f"<p>{html.escape(p)}</p>" for p in draft.paragraphs]
    html_parts += [
        f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>' for label, url in draft.links
    ]
    html_parts.append(f"<p>{html.escape(signature)}</p>")
    return Message(
        kind=kind,
        recipient=header_value(recipient),
        subject=header_value(draft.subject),
        text="\n\n".join(text_parts) + "\n",
        html='<!doctype html><html lang="sv"><body>' + "".join(html_parts) + "</body></html>",
    )


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "tid meddelas senare"
    return format_weekday_datetime(moment)


def _case_link(n: CaseNotice, reader: Role) -> tuple[str, str]:
    """The case's page for the recipient's role (see domain/links.py)."""
    assert n.application_id is not None
    return ("Ärendet", case_url(n.base_url, reader, n.application_id, n.business_id))


def _is_rebooking(n: CaseNotice) -> bool:
    return n.action == "reschedule" or (n.action == "assign" and n.previous_visit_at is not None)


def _rebooked(n: CaseNotice) -> list[str]:
    return [
        f"Besiktningen av {n.business_name} är ombokad.",
        f"Ny tid: {_when(n.visit_at)}.",
        f"Den tidigare tiden, {_when(n.previous_visit_at)}, gäller inte längre.",
    ]


def _owner_draft(n: CaseNotice) -> _Draft | None:
    shop = n.business_name
    if n.action == "submit":
        return _Draft(
            f"Ansökan mottagen – {shop}",
            [
                f"Vi har tagit emot ansökan om certifiering för {shop}.",
                "Kommunen utser en besiktningsperson och ni får ett nytt meddelande när besöket är bokat.",
            ],
            [_case_link(n, Role.owner)],
        )
    if _is_rebooking(n):
        return _Draft(
            f"Besiktningen ombokad – {shop}",
            [*_rebooked(n), f"Besiktningsperson: {n.inspector_name or 'meddelas senare'}."],
            [_case_link(n, Role.owner)],
        )
    if n.action == "assign":
        return _Draft(
            f"Besiktning bokad – {shop}",
            [
                f"Besiktningen av {shop} är bokad {_when(n.visit_at)}.",
                f"Besiktningsperson: {n.inspector_name or 'meddelas senare'}.",
            ],
            [_case_link(n, Role.owner)],
        )
    if n.action == "require_corrections":
        lines = [f"Punkt {f.point}: {f.remark or 'se ärendet'}" for f in n.failed]
        deadline = format_date(n.deadline) if n.deadline else "enligt ärendet"
        return _Draft(
            f"Åtgärder krävs – {shop}",
            [
                f"Vid besiktningen av {shop} uppfylldes inte alla {POINT_COUNT} punkter.",
                *lines,
                f"Åtgärda bristerna senast {deadline} och anmäl dem sedan i ärendet.",
            ],
            [_case_link(n, Role.owner)],
        )
    if n.action == "approve":
        return _Draft(
            f"Certifierad – {shop}",
            [
                f"Grattis! {shop} är certifierad enligt Skydd mot rån i handeln (intyg {n.certificate}).",
                "Sätt upp dekalen Säkerhetsskyddad vid entrén. Intyget gäller i två år.",
            ],
            [
                ("Intyget", f"{n.base_url}/arenden/{n.application_id}/intyg.pdf"),
                ("Dekalen", f"{n.base_url}/arenden/{n.application_id}/dekal.pdf"),
                ("Kontrollsidan", f"{n.base_url}/verify/{n.certificate}"),
            ],
        )
    if n.action == "revoke":
        return _Draft(
            f"Intyget återkallat – {shop}",
            [
                f"Kommunen har återkallat intyg {n.certificate or ''} för {shop}.".replace("  ", " "),
                f"Skäl: {n.reason or 'inget angivet'}.",
                "Ta ner dekalen Säkerhetsskyddad. Kontakta kommunen om ni vill certifiera butiken igen.",
            ],
            [_case_link(n, Role.owner)],
        )
    if n.action == "business_change_accepted":
        return _Draft(
            f"Ändringen är godkänd – {shop}",
            [
                "Kommunen har godkänt den anmälda ändringen av butikens uppgifter:",
                *_proposed_lines(n),
                "De nya uppgifterna visas nu i det öppna registret och på kontrollsidan.",
            ],
            [_case_link(n, Role.owner)],
        )
    if n.action == "business_change_rejected":
        return _Draft(
            f"Ändringen är avslagen – {shop}",
            [
                "Kommunen har avslagit den anmälda ändringen av butikens uppgifter.",
                f"Skäl: {n.reason or 'inget angivet'}.",
                "Registret och kontrollsidan visar fortfarande uppgifterna från besiktningen.",
            ],
            [_case_link(n, Role.owner)],
        )
    if n.action in {"reminder_90", "reminder_30"}:
        return _Draft(
            f"Intyget går ut om {n.days_left} dagar – {shop}",
            [
                f"Intyg {n.certificate} för {shop} går ut om {n.days_left} dagar.",
                "Ansök om ombesiktning i god tid så att butiken fortsätter att vara certifierad.",
            ],
            [_case_link(n, Role.owner)],
        )
    return None


def messages_for(n: CaseNotice) -> list[Message]:
    """The e-mails an event causes: owner, assigned inspector, or the kommun's case officers."""
    signature = f"Med vänlig hälsning\n{n.kommun_name or 'Kommunen'} – Skydd mot rån i handeln"
    messages: list[Message] = []
    owner = _owner_draft(n)
    if owner is not None and n.owner_email:
        messages.append(render(n.action, n.owner_email, owner, signature))
    if n.action == "assign" and n.inspector_email:
        if _is_rebooking(n) and not n.inspector_changed:
            draft = _Draft(
                f"Ombokad besiktning – {n.business_name}",
                _rebooked(n),
                [_case_link(n, Role.inspector)],
            )
        else:
            draft = _Draft(
                f"Nytt uppdrag – {n.business_name}",
                [
                    f"Du har tilldelats besiktningen av {n.business_name}, {_when(n.visit_at)}.",
                    "Ärendet finns i din kö.",
                ],
                [_case_link(n, Role.inspector)],
            )
        messages.append(render("assigned", n.inspector_email, draft, signature))
    if n.action == "corrections_overdue":
        deadline = format_date(n.deadline) if n.deadline else "okänt datum"
        draft = _Draft(
            f"Tidsfristen har passerat – {n.business_name}",
            [
                f"Tidsfristen för åtgärder ({deadline}) har passerat för {n.business_name} "
                "utan att åtgärderna har anmälts.",
                "Kontakta butiken eller avslå ansökan.",
            ],
            [_case_link(n, Role.kommun)],
        )
        messages.extend(render(n.action, email, draft, signature) for email in n.kommun_emails)
    if n.action == "business_change_reported":
        draft = _Draft(
            f"Anmäld ändring av namn eller adress – {n.business_name}",
            [
                f"{n.business_name} är certifierad och har anmält en ändring av uppgifter som "
                "intyget bygger på:",
                *_proposed_lines(n),
                "Ändringen syns i det öppna registret och på kontrollsidan först när kommunen har "
                "godkänt den. Godkänn eller avslå den i ärendet.",
            ],
            [_case_link(n, Role.kommun)],
        )
        messages.extend(render(n.action, email, draft, signature) for email in n.kommun_emails)
    return messages


CHANGE_FIELD_LABELS = {
    "name": "Namn",
    "street_address": "Gatuadress",
    "postal_code": "Postnummer",
    "city": "Ort",
}
"""The fields of a reported change (anmäld ändring) as e-mails and pages name them."""


def _proposed_lines(n: CaseNotice) -> list[str]:
    return [f"{CHANGE_FIELD_LABELS.get(field, field)}: {value}" for field, value in n.proposed]


def invitation(
    *, recipient: str, business_name: str, kommun_name: str, link: str, expires_on: date
) -> Message:
    """The kommun invites an imported shop to sign up and claim it."""
    draft = _Draft(
        f"Inbjudan: certifiera {business_name} mot rån",
        [
            f"{kommun_name} erbjuder alla butiker certifiering enligt Skydd mot rån i handeln, "
            "ett samarbete mellan polisen, handeln och Brå.",
            f"Skapa ett konto och koppla {business_name} till det med länken nedan. "
            f"Länken gäller till {format_date(expires_on)}.",
        ],
        [("Kom igång", link)],
    )
    return render("invitation", recipient, draft, f"Med vänlig hälsning\n{kommun_name}")


def password_reset(
    *, recipient: str, name: str, link: str, valid_minutes: int, sender_name: str, sent_by_kommun: bool
) -> Message:
    """A link to choose a new password: asked for by the user, or sent by the kommun on request."""
    why = (
        f"{sender_name} har skickat dig en länk så att du kan välja ett nytt lösenord till ditt konto "
        "i tjänsten Skydd mot rån i handeln."
        if sent_by_kommun
        else "Någon, förhoppningsvis du, har bett om att få välja ett nytt lösenord till ditt konto "
        "i tjänsten Skydd mot rån i handeln."
    )
    draft = _Draft(
        "Välj ett nytt lösenord – Skydd mot rån i handeln",
        [
            f"Hej {name}!",
            why,
            f"Länken gäller i {valid_minutes} minuter och kan bara användas en gång. När du har valt "
            "ett nytt lösenord loggas du ut överallt där du är inloggad.",
            "Har du inte bett om ett nytt lösenord kan du bortse från det här meddelandet. "
            "Ditt lösenord är då oförändrat.",
        ],
        [("Välj ett nytt lösenord", link)],
    )
    return render("password_reset", recipient, draft, f"Med vänlig hälsning\n{sender_name}")


def inspector_linked(*, recipient: str, inspector_name: str, kommun_name: str, login_link: str) -> Message:
    """A kommun adds an inspector who already has an account (he serves another kommun too)."""
    draft = _Draft(
        f"Du är besiktningsperson för {kommun_name}",
        [
            f"Hej {inspector_name}!",
            f"{kommun_name} har lagt till dig som besiktningsperson. Du loggar in med ditt vanliga "
            "konto och ser kommunens ärenden när de tilldelas dig.",
            "Om du inte känner igen detta, kontakta kommunen.",
        ],
        [("Logga in", login_link)],
    )
    return render("inspector_linked", recipient, draft, f"Med vänlig hälsning\n{kommun_name}")


def account_exists(*, recipient: str, login_link: str, reset_link: str) -> Message:
    """Someone tried to sign up with an address that already has an account (maybe its owner)."""
    links = [("Logga in", login_link), ("Glömt lösenordet?", reset_link)]
    draft = _Draft(
        "Du har redan ett konto",
        [
            "Någon försökte skapa ett konto i Skydd mot rån i handeln med den här e-postadressen. "
            "Det finns redan ett konto för adressen, så inget nytt konto skapades.",
            "Var det du? Logga in med ditt befintliga konto. Var det inte du kan du bortse från meddelandet.",
        ],
        links,
    )
    return render("account_exists", recipient, draft, "Med vänlig hälsning\nSkydd mot rån i handeln")
