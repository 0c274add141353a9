"""Bringing the database schema up to date, from the CLI and from tests."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.check import CheckMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards

from certify.text.catalogue import _


class MigrationFailed(Exception):
    """Piccolo could not apply a migration; the message carries its explanation (Piccolo's own words,
    after ours in the language of the moment)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def migrate(*, quiet: bool = True) -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards("certify")
    if not result.success:
        detail = result.message or output.getvalue().strip()
        raise MigrationFailed(_("migreringen misslyckades: {error}").format(error=detail))


async def pending() -> list[str]:
    """Names of migrations not yet applied (empty when the schema is current)."""
    with contextlib.redirect_stdout(io.StringIO()):
        statuses = await CheckMigrationManager(app_name="certify").get_migration_statuses()
    return [s.migration_id for s in statuses if not s.has_ran]
