"""Backups: a consistent online copy of the database, and putting one back.

SQLite uses its online backup API, so the service may keep writing while the copy is taken.
PostgreSQL uses pg_dump/pg_restore (custom format), which read one consistent snapshot.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from certify.database import SQLITE_BUSY_TIMEOUT_SECONDS
from certify.settings import DatabaseUrl
from certify.text.catalogue import _

Progress = Callable[[int, int], None]


class BackupFailed(Exception):
    """The copy could not be made or put back; the message says why in one line, in the language of
    the moment (the command line's)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def backup(database: DatabaseUrl, target: Path, progress: Progress = lambda done, total: None) -> None:
    if database.is_sqlite:
        assert database.sqlite_path is not None
        if not database.sqlite_path.exists():
            raise BackupFailed(_("det finns ingen databasfil på {path}").format(path=database.sqlite_path))
        _sqlite_copy(database.sqlite_path, target, progress)
    else:
        _pg("pg_dump", database, "--format=custom", "--no-owner", f"--file={target}", database.database)


def restore(database: DatabaseUrl, source: Path, progress: Progress = lambda done, total: None) -> None:
    """Replace the database's contents with the backup (stop the service first)."""
    if not source.is_file():
        raise BackupFailed(_("det finns ingen säkerhetskopia på {path}").format(path=source))
    if database.is_sqlite:
        assert database.sqlite_path is not None
        _check_sqlite_backup(source)
        _sqlite_copy(source, database.sqlite_path, progress)
    else:
        _pg(
            "pg_restore",
            database,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={database.database}",
            str(source),
        )


def _sqlite_copy(source: Path, target: Path, progress: Progress) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    dst = sqlite3.connect(target, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    try:
        # Copy 256 pages at a time so writers get the lock in between; progress per step.
        src.backup(
            dst, pages=256, progress=lambda _status, remaining, total: progress(total - remaining, total)
        )
    except sqlite3.Error as exc:
        raise BackupFailed(
            _("kopieringen av SQLite-databasen misslyckades: {error}").format(error=exc)
        ) from exc
    finally:
        dst.close()
        src.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(
            _("{path} är ingen säkerhetskopia av en SQLite-databas ({error})").format(path=source, error=exc)
        ) from exc
    if "applications" not in tables:
        raise BackupFailed(
            _("{path} är ingen säkerhetskopia av certify (tabellen applications saknas)").format(path=source)
        )


def _pg(tool: str, database: DatabaseUrl, *args: str) -> None:
    if shutil.which(tool) is None:
        raise BackupFailed(
            _("{tool} är inte installerat (Debian: apt-get install postgresql-client)").format(tool=tool)
        )
    env = {**os.environ, "PGHOST": database.host, "PGPORT": str(database.port), "PGUSER": database.user}
    if database.password:
        env["PGPASSWORD"] = database.password
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [_("inget meddelande")])[-1]
        raise BackupFailed(_("{tool} misslyckades: {error}").format(tool=tool, error=last))
