"""What an app instance remembers of the case reads it has answered, so that reading a case again
costs no query.

The case read (services.cases.view) is the hottest read of the service, and after the session
layer it is the database round trip and the decoding of its JSON that cost the most
(benchmarks/session_cost.py). A case is read far more often than it changes, so each instance
keeps the answers it gave, and the database tells it at once when one may be stale: triggers on
every table the read reads announce the changed application (or "every case", where a change is
not one application's: a shop's name, a person's name, representatives, an inspector's kommuner),
through the same listener and the same per-request barrier as the sessions
(services.session_changes). A remembered read is served only when this request's session check
got through that barrier; otherwise the database is asked, as without the cache.

The key holds the caller as a whole (who may see the case, and which actions the caller is
offered, are the caller's) and the local date (a certificate's status follows the calendar).
Access changes (assignment, representatives, an inspector's kommuner, the account) are among
the announced changes, so a caller who lost a case is never served it from here.

Only the API's plain read of a case uses this (web/api/applications.py): reads inside a write's
transaction must see that transaction's own changes, and go to the database.
"""

from __future__ import annotations

from datetime import date

import msgspec

from certify.services import cases
from certify.services.actor import Actor
from certify.services.clock import today

MAX_REMEMBERED = 2_000  # case reads one instance keeps (a few kB each); beyond, it starts afresh

_Key = tuple[int, Actor, date]


class CaseCache:
    """One per app instance; forgotten by the database's announcements (services.session_changes)."""

    def __init__(self) -> None:
        self._remembered: dict[_Key, bytes] = {}  # the JSON answer: encoding it costs as much as a lookup
        self._by_case: dict[int, set[_Key]] = {}
        self._forgettings = 0  # a read that raced a forgetting does not store what it read

    def __len__(self) -> int:
        return len(self._remembered)

    def forget(self, application_id: int | None) -> None:
        """One case's remembered reads (a change to it), or all of them (None)."""
        self._forgettings += 1
        if application_id is None:
            self._remembered.clear()
            self._by_case.clear()
            return
        for key in self._by_case.pop(application_id, ()):
            self._remembered.pop(key, None)

    async def json(self, actor: Actor, application_id: int, caught_up: bool) -> bytes:
        """The case as services.cases.view reads it, as JSON, remembered when `caught_up`: this
        request has passed the barrier after which every change committed before it arrived is
        forgotten."""
        if not caught_up:
            return msgspec.json.encode(await cases.view(actor, application_id))
        key = (application_id, actor, today())
        remembered = self._remembered.get(key)
        if remembered is not None:
            return remembered
        forgettings = self._forgettings
        read = msgspec.json.encode(await cases.view(actor, application_id))
        if self._forgettings == forgettings:  # nothing announced while it was read
            if len(self._remembered) >= MAX_REMEMBERED:
                self.forget(None)
            self._remembered[key] = read
            self._by_case.setdefault(application_id, set()).add(key)
        return read
