"""Staff log-in through each kommun's own OpenID Connect provider (the kommun's Entra ID, say).

A kommun connects its provider with `certify kommun-login set` (kommun_logins): issuer, client,
the ID-token claim that lists groups or roles, and the value that makes a kommun user and the
one that makes an inspector. The protocol is certify.services.oidc's; this module decides who a
verified person is at certify:

- the account the provider's `sub` was linked to at an earlier log-in through the same kommun;
- else, on the first log-in, the kommun's existing staff account with the e-mail claim's address,
  when the provider says it verified the address (`email_verified`), the account serves this kommun
  only and has no other subject of this provider yet (linked to the `sub` from then on; anything
  else is an administrator's to sort out);
- else a new account with the role the group maps to (a kommun user of this kommun, or an
  inspector serving it), in the name and e-mail address the provider gives.

Every log-in requires the group: a person without it is refused, and an account he had logged in
with ends all its sessions. The role must be the one the group maps to, and an account is only
ever matched within the kommun whose provider vouched: kommun A's provider cannot log anyone into
kommun B. Sessions begun this way last CERTIFY_STAFF_SESSION_HOURS at most (sessions.ends_at).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns import Column

from certify import database
from certify.domain.errors import InvalidField, NotFound, RuleNotMet
from certify.domain.status import Role
from certify.services import accounts, events, sessions
from certify.services.actor import Actor
from certify.services.clock import now
from certify.services.oidc import Client, Refused
from certify.services.sessions import Began, Via
from certify.settings import issuer_is_secure
from certify.tables import Account, InspectorKommun, Kommun, KommunLogin, StaffIdentity

SCOPES = ("openid", "profile", "email")


@dataclass(frozen=True, slots=True)
class Provider:
    """One kommun's provider, as configured."""

    kommun_id: int
    kommun_code: str
    kommun_name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)  # never in a log line or a page
    groups_claim: str
    kommun_group: str
    inspector_group: str
    password_login_off: bool

    def role_for(self, claims: dict[str, Any]) -> Role | None:
        """The role the person's groups map to; kommun wins when both map."""
        value = claims.get(self.groups_claim)
        groups = {str(v) for v in value} if isinstance(value, list) else ({str(value)} if value else set())
        if self.kommun_group and self.kommun_group in groups:
            return Role.kommun
        if self.inspector_group and self.inspector_group in groups:
            return Role.inspector
        return None


@dataclass(frozen=True, slots=True)
class KommunUser:
    """A kommun user changing his own kommun's log-in (the settings page): who, for the audit
    trail, and how his session began, for the lock-out rules. The command line is None."""

    actor: Actor
    began: Began


class Clients:
    """The OpenID clients of the configured providers, one per app: discovery and keys cached,
    made afresh when a kommun's configuration changes."""

    def __init__(self) -> None:
        self._clients: dict[int, tuple[tuple[str, str, str], Client]] = {}

    def for_provider(self, provider: Provider) -> Client:
        key = (provider.issuer, provider.client_id, provider.client_secret)
        known = self._clients.get(provider.kommun_id)
        if known is None or known[0] != key:
            client = Client(
                issuer=provider.issuer,
                client_id=provider.client_id,
                client_secret=provider.client_secret,
                scopes=SCOPES,
                label=f"staff log-in {provider.kommun_code}",
            )
            known = self._clients[provider.kommun_id] = (key, client)
        return known[1]


def _provider(row: dict[str, Any]) -> Provider:
    return Provider(
        kommun_id=row["kommun"],
        kommun_code=row["kommun.code"],
        kommun_name=row["kommun.name"],
        issuer=row["issuer"],
        client_id=row["client_id"],
        client_secret=row["client_secret"],
        groups_claim=row["groups_claim"],
        kommun_group=row["kommun_group"],
        inspector_group=row["inspector_group"],
        password_login_off=bool(row["password_login_off"]),
    )


def _select() -> Any:
    return KommunLogin.select(
        *KommunLogin.all_columns(), KommunLogin.kommun.code, KommunLogin.kommun.name
    ).order_by(KommunLogin.kommun.name)


async def all_providers() -> list[Provider]:
    """Every configured kommun, by name: the log-in page offers each."""
    return [_provider(row) for row in await _select().run()]


async def provider_of(kommun_id: int) -> Provider | None:
    row = await _select().where(KommunLogin.kommun == kommun_id).first().run()
    return _provider(row) if row else None


async def kommun_id_of(code: str) -> int:
    row = await Kommun.select(Kommun.id).where(Kommun.code == code).first().run()
    if row is None:
        raise NotFound("kommun_code_unknown", kommun=code)
    return int(row["id"])


# What decides whether the kommun's users can log in at all: a kommun user may not change it
# while password log-in stays off (an untried change could lock everyone out).
CONNECTION = ("issuer", "client_id", "client_secret", "groups_claim", "kommun_group")

# Field lengths, as the table has them: longer is refused, naming the field.
LENGTHS = {
    "issuer": 500,
    "client_id": 255,
    "client_secret": 2000,
    "groups_claim": 100,
    "kommun_group": 255,
    "inspector_group": 255,
}


def _checked(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > LENGTHS[name]:
        raise InvalidField(name, "kommun_login_too_long", field=name, limit=LENGTHS[name])
    return value


async def configure(
    kommun_id: int,
    *,
    issuer: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    groups_claim: str | None = None,
    kommun_group: str | None = None,
    inspector_group: str | None = None,
    password_login_off: bool | None = None,
    by: KommunUser | None = None,
) -> Provider:
    """Connect the kommun's provider, or change what is given of an existing connection (None:
    unchanged; the command line and the kommun's settings page both come here).

    Password log-in can be off only while a provider is connected with a group for the kommun's
    users, or nobody could log in. A kommun user switching it off (`by`; None is the command
    line) must have logged in through this very provider: that is the
    proof it works before his colleagues' password sessions end (end_password_sessions). While
    password log-in stays off, he may not change the connection (CONNECTION) either: he switches
    password log-in on, changes it, tries it, and switches it off again."""
    issuer = _checked("issuer", issuer)
    if issuer:  # an empty one is refused below, as missing
        issuer = issuer.rstrip("/")
        if not issuer_is_secure(issuer):
            raise InvalidField(
                "issuer", "issuer_invalid", example="https://login.microsoftonline.com/KATALOG-ID/v2.0"
            )
    given: dict[str, Any] = {
        "issuer": issuer,
        "client_id": _checked("client_id", client_id),
        "client_secret": _checked("client_secret", client_secret),
        "groups_claim": _checked("groups_claim", groups_claim),
        "kommun_group": _checked("kommun_group", kommun_group),
        "inspector_group": _checked("inspector_group", inspector_group),
        "password_login_off": password_login_off,
    }
    if given["groups_claim"] == "":
        given["groups_claim"] = "groups"  # the default claim, as a new connection has it
    changes = {name: value for name, value in given.items() if value is not None}
    async with database.transaction():
        before = await provider_of(kommun_id)
        after = {**({name: getattr(before, name) for name in given} if before else {}), **changes}
        switching_off = bool(after.get("password_login_off")) and not (before and before.password_login_off)
        if after.get("password_login_off") and not (
            after.get("issuer") and after.get("client_id") and after.get("kommun_group")
        ):
            raise RuleNotMet("password_login_needs_provider")
        for name in ("issuer", "client_id"):
            if not after.get(name):
                raise InvalidField(name, "kommun_login_incomplete")
        if switching_off and by is not None and by.began != Began(Via.kommun, kommun_id):
            raise RuleNotMet("password_login_off_unproven")
        stays_off = bool(before and before.password_login_off and after["password_login_off"])
        if stays_off and by is not None and any(after[n] != getattr(before, n) for n in CONNECTION):
            raise RuleNotMet("kommun_login_change_while_off")
        if before is None:
            await KommunLogin.insert(KommunLogin(kommun=kommun_id, **changes)).run()
        elif changes:
            columns: dict[Column | str, Any] = {name: value for name, value in changes.items()}
            await KommunLogin.update(columns).where(KommunLogin.kommun == kommun_id).run()
        if switching_off:
            await _end_password_sessions(kommun_id)
        changed = sorted(
            name for name, value in changes.items() if not before or getattr(before, name) != value
        )
        if changed:  # the names only: never the secret's value
            await events.record(
                "kommun_login_changed",
                actor=by.actor if by else None,
                detail={"kommun_id": kommun_id, "changed": changed},
            )
    provider = await provider_of(kommun_id)
    assert provider is not None
    return provider


async def _end_password_sessions(kommun_id: int) -> None:
    """The password sessions of the kommun's staff who may no longer log in with a password end
    (an inspector serving another kommun that still allows it keeps his)."""
    kommun_users = (
        await Account.select(Account.id)
        .where((Account.kommun == kommun_id) & (Account.role == Role.kommun.value))
        .run()
    )
    inspectors = (
        await InspectorKommun.select(InspectorKommun.inspector)
        .where(InspectorKommun.kommun == kommun_id)
        .run()
    )
    staff = {row["id"] for row in kommun_users} | {row["inspector"] for row in inspectors}
    await sessions.end_password_sessions([a for a in sorted(staff) if await password_login_refused(a)])


async def clear(kommun_id: int, by: KommunUser | None = None) -> None:
    """Disconnect the kommun's provider; its staff's links to the provider's subjects go too, and
    password log-in applies again. A kommun user (`by`; None is the command line, where an
    administrator can create accounts) may do it only while an active kommun user of the kommun
    has a password: else nobody of the kommun could log in again."""
    async with database.transaction():
        if by is not None and not await Account.exists().where(
            (Account.kommun == kommun_id)
            & (Account.role == Role.kommun.value)
            & (Account.active == True)  # noqa: E712
            & (Account.password_hash != "")
        ):
            raise RuleNotMet("kommun_login_clear_locks_out")
        if await KommunLogin.exists().where(KommunLogin.kommun == kommun_id).run():
            await events.record(
                "kommun_login_cleared", actor=by.actor if by else None, detail={"kommun_id": kommun_id}
            )
        await KommunLogin.delete().where(KommunLogin.kommun == kommun_id).run()
        await StaffIdentity.delete().where(StaffIdentity.kommun == kommun_id).run()


async def password_login_refused(account_id: int) -> bool:
    """Whether this staff member may not log in with a password: a kommun user when his kommun
    switched it off; an inspector only when every kommun he serves switched it off."""
    row = await Account.select(Account.role, Account.kommun).where(Account.id == account_id).first().run()
    if row is None:
        return False
    if row["role"] == Role.kommun.value:
        kommun_ids = [row["kommun"]]
    elif row["role"] == Role.inspector.value:
        links = (
            await InspectorKommun.select(InspectorKommun.kommun)
            .where(InspectorKommun.inspector == account_id)
            .run()
        )
        kommun_ids = [link["kommun"] for link in links]
    else:
        return False
    if not kommun_ids:
        return False
    off = (
        await KommunLogin.count()
        .where(
            KommunLogin.kommun.is_in(kommun_ids) & (KommunLogin.password_login_off == True)  # noqa: E712
        )
        .run()
    )
    return off == len(set(kommun_ids))


async def _serves(account_id: int, provider: Provider) -> Role | None:
    """The account's staff role when it belongs to the provider's kommun (active), else None."""
    row = (
        await Account.select(Account.role, Account.kommun, Account.active)
        .where(Account.id == account_id)
        .first()
        .run()
    )
    if row is None or not row["active"]:
        return None
    if row["role"] == Role.kommun.value and row["kommun"] == provider.kommun_id:
        return Role.kommun
    if (
        row["role"] == Role.inspector.value
        and await InspectorKommun.exists()
        .where((InspectorKommun.inspector == account_id) & (InspectorKommun.kommun == provider.kommun_id))
        .run()
    ):
        return Role.inspector
    return None


async def account_for(provider: Provider, claims: dict[str, Any]) -> int:
    """The staff account the verified claims stand for at this kommun (see the module's rules)."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused("id_token")
    role = provider.role_for(claims)
    account_id = await _linked(provider, subject)
    if account_id is not None:
        if role is None:
            await accounts.end_sessions(account_id)  # no longer staff at the provider: out everywhere
            raise Refused("no_group")
        if await _serves(account_id, provider) != role:
            raise Refused("role")
        return account_id
    if role is None:
        raise Refused("no_group")
    try:
        email = accounts.normalise_email(str(claims.get("email") or ""))
    except InvalidField as exc:
        raise Refused("email") from exc
    try:
        return await _first_login(provider, claims, subject, email, role)
    except database.INTEGRITY_ERRORS as exc:
        # Two first log-ins of the same person at once: the other one linked (or created) first.
        if not database.is_unique_violation(exc):
            raise
        account_id = await _linked(provider, subject)
        if account_id is None or await _serves(account_id, provider) != role:
            raise Refused("link") from exc
        return account_id


async def _linked(provider: Provider, subject: str) -> int | None:
    """The account the provider's subject was linked to at an earlier log-in through this kommun."""
    row = (
        await StaffIdentity.select(StaffIdentity.account)
        .where((StaffIdentity.kommun == provider.kommun_id) & (StaffIdentity.subject == subject))
        .first()
        .run()
    )
    return int(row["account"]) if row is not None else None


async def _first_login(
    provider: Provider, claims: dict[str, Any], subject: str, email: str, role: Role
) -> int:
    """Link the subject to the kommun's staff account with the e-mail address, or create one.

    An existing account is linked only when the provider says it verified the address, only when
    the account serves this kommun alone, and only when no other subject of this provider is linked
    to it yet: anything else would let one kommun's provider reach what the account may do
    elsewhere, and is left to an administrator."""
    async with database.transaction():
        existing = await Account.select(Account.id).where(Account.email == email).first().run()
        if existing is not None:
            account_id = int(existing["id"])
            if claims.get("email_verified") is not True:
                raise Refused("email_unverified")
            if await _serves(account_id, provider) != role:
                raise Refused("role")  # another kommun's staff, an owner, or another role
            if await _linked_here(account_id, provider) or await _serves_elsewhere(account_id, provider):
                raise Refused("link")
        else:
            account_id = await _create(provider, claims, email, role)
        await StaffIdentity.insert(
            StaffIdentity(kommun=provider.kommun_id, subject=subject, account=account_id)
        ).run()
    return account_id


async def _linked_here(account_id: int, provider: Provider) -> bool:
    return bool(
        await StaffIdentity.exists()
        .where((StaffIdentity.account == account_id) & (StaffIdentity.kommun == provider.kommun_id))
        .run()
    )


async def _serves_elsewhere(account_id: int, provider: Provider) -> bool:
    """Whether the (inspector) account serves another kommun than the provider's too."""
    return bool(
        await InspectorKommun.exists()
        .where((InspectorKommun.inspector == account_id) & (InspectorKommun.kommun != provider.kommun_id))
        .run()
    )


def session_ends_at(hours: float) -> datetime:
    """The latest end of a session begun through a kommun's provider (CERTIFY_STAFF_SESSION_HOURS)."""
    return now() + timedelta(hours=hours)


async def _create(provider: Provider, claims: dict[str, Any], email: str, role: Role) -> int:
    name = str(claims.get("name") or "").strip() or email
    rows = (
        await Account.insert(
            Account(
                email=email,
                name=name[:200],
                role=role.value,
                password_hash="",  # no password: this account logs in through the kommun's provider
                kommun=provider.kommun_id if role == Role.kommun else None,
            )
        )
        .returning(Account.id)
        .run()
    )
    account_id: int = rows[0]["id"]
    if role == Role.inspector:
        await InspectorKommun.insert(InspectorKommun(inspector=account_id, kommun=provider.kommun_id)).run()
    await events.record(
        "user_created",
        actor=None,
        detail={"user_id": account_id, "role": role.value, "email": email, "via": "kommun provider"},
    )
    return account_id
