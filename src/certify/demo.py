"""Demo data for Borlänge: shops in every state, driven through the real services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from certify.domain.checklist import CASH_RELATED_POINTS, POINT_COUNT
from certify.domain.org_number import with_check_digit
from certify.domain.status import AnswerStatus, Role, VerdictValue
from certify.services import accounts, businesses, cases, imports, invitations, kommuner
from certify.services.actor import Actor
from certify.services.businesses import BusinessInput
from certify.services.cases import ActionInput
from certify.services.clock import SWEDEN, now, today
from certify.tables import Business, Certificate, Kommun
from certify.text.catalogue import _, ngettext
from certify.text.vocabulary import role_label, state_label

KOMMUN_CODE = "2081"
KOMMUN_CONTACT = "Stadshuset, Röda vägen 50, 781 81 Borlänge · Servicecenter 0243-740 00"
PASSWORDS = {
    Role.owner: "demo-butik-2026",
    Role.inspector: "demo-besiktning-2026",
    Role.kommun: "demo-kommun-2026",
}
USERS = {
    Role.owner: ("agare@demo.borlange.se", "Sara Lindqvist"),
    Role.inspector: ("besiktning@demo.borlange.se", "Johan Berg"),
    Role.kommun: ("handlaggare@demo.borlange.se", "Maria Dahl"),
}

# (shop name, street, postal code, area, cash free, the state the demo leaves its case in)
SHOPS = (
    ("Bullermyrens Livs", "Bullermyrsvägen 12", "78450", "Bullermyren", False, "draft"),
    ("Tjärna Blommor & Presenter", "Tjärnaplan 3", "78454", "Tjärna Ängar", True, "submitted"),
    ("Jakobsgårdarnas Kiosk", "Jakobsgårdsvägen 8", "78446", "Jakobsgårdarna", False, "scheduled"),
    ("Resecentrums Tidningshandel", "Stationsgatan 1", "78431", "Resecentrum", False, "corrections_required"),
    ("Guldsmeden i Centrum", "Borlänge Torget 5", "78433", "Centrum", False, "certified"),
    ("Cykel & Sport Borlänge", "Sveagatan 21", "78433", "Centrum", True, "certified"),
    ("Hemmafixarn Järn", "Tjärnavägen 40", "78454", "Tjärna Ängar", False, "rejected"),
    ("Café Ängsklockan", "Ängsgatan 2", "78450", "Bullermyren", True, "withdrawn"),
    ("Ljusbutiken Jakobsgårdarna", "Jakobsgårdstorget 1", "78446", "Jakobsgårdarna", False, "expired"),
    ("Spelhörnan Resecentrum", "Stationsgatan 3", "78431", "Resecentrum", False, "revoked"),
)

# Shops the kommun knows from its business register but that have no account yet (the CSV import).
IMPORTED = (
    ("Norra Backa Bageri", "Backavägen 4", "78461", "Backa", "bageriet@demo.borlange.se"),
    ("Kvarnsvedens Frisör", "Kvarnsvedsvägen 17", "78467", "Kvarnsveden", "frisor@demo.borlange.se"),
    ("Torsångs Lanthandel", "Byvägen 2", "78199", "Torsång", ""),
)


async def _actor(account_id: int) -> Actor:
    actor = await accounts.load_actor(account_id, now())
    assert actor is not None
    return actor


async def _answer_all(owner: Actor, application_id: int, cash_free: bool) -> None:
    for point in range(1, POINT_COUNT + 1):
        if cash_free and point in CASH_RELATED_POINTS:
            await cases.set_answer(
                owner,
                application_id,
                point,
                AnswerStatus.not_applicable,
                "Butiken är kontantfri sedan 2024; vi tar bara kort och Swish.",
            )
        else:
            await cases.set_answer(
                owner, application_id, point, AnswerStatus.fulfilled, "Genomgånget med personalen."
            )


async def _judge_all(inspector: Actor, application_id: int, cash_free: bool, fail: set[int]) -> None:
    for point in range(1, POINT_COUNT + 1):
        if point in fail:
            await cases.set_verdict(
                inspector,
                application_id,
                point,
                VerdictValue.failed,
                "Åtgärd krävs: se besiktningsprotokollet.",
                failed_criteria=[f"{point}.1"],  # each point's first criterion is a requirement
            )
        elif cash_free and point in CASH_RELATED_POINTS:
            await cases.set_verdict(
                inspector,
                application_id,
                point,
                VerdictValue.not_applicable,
                "Kontantfri butik, kontrollerat på plats.",
            )
        else:
            await cases.set_verdict(inspector, application_id, point, VerdictValue.passed, "")


async def load_demo(progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Create the demo kommun, users and shops once; a second run only repeats the logins."""
    logins = [
        _("Demoanvändare (e-post / lösenord):"),
        *[f"  {role_label(role)}: {USERS[role][0]} / {PASSWORDS[role]}" for role in Role],
    ]
    if await Kommun.exists().where(Kommun.code == KOMMUN_CODE).run():
        return [_("Demodata är redan inlästa."), *logins]
    await kommuner.add(KOMMUN_CODE, "Borlänge kommun", KOMMUN_CONTACT, "BLG")
    ids = {
        role: await accounts.create_account(
            email=USERS[role][0],
            name=USERS[role][1],
            role=role,
            password=PASSWORDS[role],
            kommun_codes=[] if role == Role.owner else [KOMMUN_CODE],
        )
        for role in Role
    }
    owner = await _actor(ids[Role.owner])
    inspector = await _actor(ids[Role.inspector])
    kommun = await _actor(ids[Role.kommun])
    for index, (name, street, postal, area, cash_free, target) in enumerate(SHOPS, start=1):
        progress(f"[{index}/{len(SHOPS)}] {name}: {state_label(target)}")
        shop = await businesses.create(
            owner,
            BusinessInput(
                name=name,
                org_number=with_check_digit(f"55660{index:04d}"),
                street_address=street,
                postal_code=postal,
                city="Borlänge",
                area=area,
                phone="0243-10 00 00",
                email=f"butik{index}@demo.borlange.se",
                cash_free=cash_free,
            ),
        )
        case = await cases.open_case(owner, shop.id)
        await _drive(owner, inspector, kommun, case.id, cash_free, target)
    await _import_and_invite(kommun)
    count = len(SHOPS) + len(IMPORTED)
    return [
        ngettext("Läste in %(num)d demobutik i Borlänge.", "Läste in %(num)d demobutiker i Borlänge.", count),
        *logins,
    ]


async def _import_and_invite(kommun: Actor) -> None:
    """A few shops from the kommun's register, through the CSV import; the first one is invited."""
    rows = [
        f"{name};{with_check_digit(f'55661{index:04d}')};{street};{postal};Borlänge;{area};{email}"
        for index, (name, street, postal, area, email) in enumerate(IMPORTED, start=1)
    ]
    content = "\n".join(["namn;organisationsnummer;adress;postnummer;ort;område;e-post", *rows]) + "\n"
    assert kommun.kommun_id is not None
    report = await imports.import_businesses(content.encode(), kommun.kommun_id, actor=kommun)
    assert report.written, report.errors
    invited = await Business.select(Business.id).where(Business.name == IMPORTED[0][0]).first().run()
    assert invited is not None
    await invitations.invite(kommun, invited["id"])


async def _drive(
    owner: Actor, inspector: Actor, kommun: Actor, case_id: int, cash_free: bool, target: str
) -> None:
    """Walk one case through the workflow until it reaches the target state."""
    act = cases.perform
    if target == "draft":
        for point in range(1, 6):
            await cases.set_answer(owner, case_id, point, AnswerStatus.fulfilled, "")
        return
    if target == "withdrawn":
        await act(owner, case_id, "withdraw", ActionInput())
        return
    await _answer_all(owner, case_id, cash_free)
    await act(owner, case_id, "submit", ActionInput())
    if target == "submitted":
        return
    if target == "scheduled":
        visit = datetime.combine(today() + timedelta(days=1), time(10, 0), tzinfo=SWEDEN)
        await act(kommun, case_id, "assign", ActionInput(inspector_id=inspector.id, visit_at=visit))
        return
    # Every other case has had its visit: booked a week ahead of a day two weeks ago.
    visit = datetime.combine(today() - timedelta(days=14), time(10, 0), tzinfo=SWEDEN)
    booked_at = visit - timedelta(days=7)
    await act(kommun, case_id, "assign", ActionInput(inspector_id=inspector.id, visit_at=visit), at=booked_at)
    fail = {4, 9} if target in {"corrections_required", "rejected"} else set()
    await _judge_all(inspector, case_id, cash_free, fail)
    if target == "corrections_required":
        await act(
            inspector, case_id, "require_corrections", ActionInput(deadline=today() + timedelta(days=30))
        )
        return
    if target == "rejected":
        await act(inspector, case_id, "reject", ActionInput(reason="Butiken vill inte åtgärda sedelboxen."))
        return
    await act(inspector, case_id, "approve", ActionInput())
    if target == "revoked":
        await act(kommun, case_id, "revoke", ActionInput(reason="Butiken har bytt lokal utan ny besiktning."))
    elif target == "expired":
        await (
            Certificate.update(
                {
                    Certificate.valid_from: today() - timedelta(days=800),
                    Certificate.valid_until: today() - timedelta(days=70),
                }
            )
            .where(Certificate.application == case_id)
            .run()
        )
        await act(None, case_id, "expire", ActionInput())
