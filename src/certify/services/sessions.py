"""Sessions: a random token in the cookie, its SHA-256 in the `sessions` table, and what each app
instance remembers of the sessions it has checked.

A session ends when its row is deleted (logging out) or its account changes so that it may no
longer act (deactivation, a password reset, closing the account; accounts.load_actor says which).
The database announces both (certify.services.session_changes), so every app instance forgets
what it remembered before its next request: a copied cookie is dead at once, on every instance.
Meanwhile the common request asks the database nothing about its session (benchmarks/session_cost.py).

A session also ends after SESSION_MAX_AGE without a request. The row records when it was last
seen, renewed at most every SESSION_RENEW_AFTER, so an active user's session slides forward.

A session may also carry a hard end (`ends_at`): a log-in through a kommun's own provider lasts
CERTIFY_STAFF_SESSION_HOURS at most, active or not, so that staff the provider no longer vouches
for (left, or lost the group) are asked again within that bound (certify.services.staff_login).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from certify.database import as_datetime
from certify.services import accounts
from certify.services.actor import Actor
from certify.services.session_changes import Forget, SessionChanges, for_this_database, forget_nothing
from certify.tables import Session

SESSION_MAX_AGE = 60 * 60 * 12  # idle time after which a session is over
SESSION_RENEW_AFTER = 60 * 5
MAX_REMEMBERED = 50_000  # sessions one instance keeps in memory; beyond, it starts afresh
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Via(StrEnum):
    """How a session was begun."""

    password = "password"
    eid = "eid"  # the installation's e-legitimation
    kommun = "kommun"  # a kommun's own provider, for its staff


@dataclass(frozen=True, slots=True)
class Began:
    """How a session was begun: `kommun_id` names the kommun whose provider it was (Via.kommun)."""

    via: Via = Via.password
    kommun_id: int | None = None


PASSWORD = Began()


@dataclass(slots=True)
class _Remembered:
    actor: Actor
    session_id: int
    seen_at: float  # the row's last_seen_at, in seconds since the epoch
    ends_at: float | None  # the hard end, in seconds since the epoch (None: idle timeout only)


@dataclass(frozen=True, slots=True)
class Found:
    actor: Actor
    renewed: bool  # the idle timeout moved forward: the browser's cookie may be renewed too
    # Every change committed before this request arrived has been announced and applied: what the
    # instance remembers (sessions, case reads: services.case_cache) may be trusted for it.
    caught_up: bool = False


class SessionStore:
    """One per app instance: opens, finds and ends sessions, remembering what is safe to."""

    def __init__(self, forget_cases: Forget = forget_nothing) -> None:
        """`forget_cases`: what the database's announcements of changed cases forget
        (services.case_cache), heard by the same listener as the sessions' own."""
        self._forget_cases = forget_cases
        self._remembered: dict[str, _Remembered] = {}
        self._by_account: dict[int, set[str]] = {}
        self._forgettings = 0  # a lookup that raced a forgetting does not store what it read
        self._changes: SessionChanges | None = None

    async def start(self) -> None:
        self._changes = for_this_database(self._forget, self._forget_cases)
        await self._changes.start()

    async def stop(self) -> None:
        if self._changes is not None:
            await self._changes.stop()
            self._changes = None
        self._forget(None)

    def _forget(self, account_id: int | None) -> None:
        self._forgettings += 1
        if account_id is None:
            self._remembered.clear()
            self._by_account.clear()
            return
        for key in self._by_account.pop(account_id, ()):
            self._remembered.pop(key, None)

    def _remember(self, key: str, remembered: _Remembered) -> None:
        if len(self._remembered) >= MAX_REMEMBERED:
            self._forget(None)
        self._remembered[key] = remembered
        self._by_account.setdefault(remembered.actor.id, set()).add(key)

    async def open(self, account_id: int, ends_at: datetime | None = None, began: Began = PASSWORD) -> str:
        """A new session for the account, over at `ends_at` at the latest; the token goes in the
        cookie and nowhere else."""
        token = secrets.token_urlsafe(32)
        started = _instant(time.time())
        await Session.insert(
            Session(
                token_hash=_hash(token),
                account=account_id,
                created_at=started,
                last_seen_at=started,
                ends_at=ends_at,
                via=began.via.value,
                via_kommun=began.kommun_id,
            )
        ).run()
        return token

    async def end(self, token: str) -> Began | None:
        """Logging out: the session is over on every instance once this returns. How it was begun
        (None: there was no such session)."""
        if not _TOKEN.fullmatch(token):
            return None
        rows = (
            await Session.delete()
            .where(Session.token_hash == _hash(token))
            .returning(Session.via, Session.via_kommun)
            .run()
        )
        if not rows:
            return None
        return Began(Via(rows[0]["via"]), rows[0]["via_kommun"])

    async def began(self, token: str) -> Began | None:
        """How the session of this token was begun (None: no such session)."""
        if not _TOKEN.fullmatch(token):
            return None
        row = (
            await Session.select(Session.via, Session.via_kommun)
            .where(Session.token_hash == _hash(token))
            .first()
            .run()
        )
        return Began(Via(row["via"]), row["via_kommun"]) if row is not None else None

    async def find(self, token: str) -> Found | None:
        """The caller a cookie's token stands for, or None (malformed, unknown, ended, idle too long)."""
        if not _TOKEN.fullmatch(token):
            return None
        key = _hash(token)
        trusted = self._changes is not None and await self._changes.caught_up()
        now = time.time()
        remembered = self._remembered.get(key) if trusted else None
        if remembered is None or now - remembered.seen_at > SESSION_MAX_AGE:
            remembered = await self._load(key, now, trusted)
            if remembered is None:
                return None
        if remembered.ends_at is not None and now >= remembered.ends_at:
            self._remembered.pop(key, None)
            await Session.delete().where(Session.id == remembered.session_id).run()
            return None
        renewed = now - remembered.seen_at > SESSION_RENEW_AFTER
        if renewed:
            remembered.seen_at = now  # before the write: requests meanwhile do not write again
            await (
                Session.update({Session.last_seen_at: _instant(now)})
                .where(Session.id == remembered.session_id)
                .run()
            )
        return Found(remembered.actor, renewed, trusted)

    async def _load(self, key: str, now: float, trusted: bool) -> _Remembered | None:
        forgettings = self._forgettings
        row = (
            await Session.select(
                Session.id, Session.account, Session.created_at, Session.last_seen_at, Session.ends_at
            )
            .where(Session.token_hash == key)
            .first()
            .run()
        )
        if row is None:
            return None
        seen_at = as_datetime(row["last_seen_at"]).timestamp()
        if now - seen_at > SESSION_MAX_AGE:
            await Session.delete().where(Session.id == row["id"]).run()
            return None
        actor = await accounts.load_actor(row["account"], as_datetime(row["created_at"]))
        if actor is None:
            return None
        ends_at = as_datetime(row["ends_at"]).timestamp() if row["ends_at"] is not None else None
        remembered = _Remembered(actor, row["id"], seen_at, ends_at)
        if trusted and self._forgettings == forgettings:
            self._remember(key, remembered)
        return remembered


async def delete_idle() -> None:
    """Rows of sessions idle too long (the daily job): a browser that never came back."""
    now = time.time()
    await (
        Session.delete()
        .where((Session.last_seen_at < _instant(now - SESSION_MAX_AGE)) | (Session.ends_at < _instant(now)))
        .run()
    )


async def end_password_sessions(account_ids: Collection[int]) -> None:
    """The sessions of these accounts begun with a password end now, on every instance; those
    begun at a provider go on."""
    if account_ids:
        await (
            Session.delete()
            .where(Session.account.is_in(list(account_ids)) & (Session.via == Via.password.value))
            .run()
        )
