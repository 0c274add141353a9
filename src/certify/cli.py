"""The `certify` command: run the service, manage the database and its users."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from certify.database import use_piccolo_conf
from certify.domain.errors import DomainError
from certify.settings import Settings, SettingsError

T = TypeVar("T")


def _fail(message: str) -> None:
    click.echo(f"certify: {message}", err=True)
    sys.exit(1)


def _run(coroutine_factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run async work with the database prepared; any expected failure becomes one line."""
    from certify import database

    async def main() -> T:
        await database.prepare()
        try:
            return await coroutine_factory()
        finally:
            await database.close()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        _fail(exc.message)
    except (OSError, ConnectionError) as exc:
        _fail(f"cannot reach the database ({exc.__class__.__name__}: {exc})")
    raise AssertionError("unreachable")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """certify – the kommun's service for "Skydd mot rån i handeln".

    Settings come from environment variables (CERTIFY_DATABASE_URL, CERTIFY_SECRET_KEY,
    CERTIFY_BASE_URL, …); see the README.
    """
    use_piccolo_conf()
    _settings()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the web service (migrates the database first)."""
    from certify import server
    from certify.migrate import migrate

    _run(migrate)
    click.echo(f"certify: serving on http://{host}:{port}/ (Ctrl-C stops)")
    server.run("certify.app:asgi", host, port, workers)


@main.command()
def migrate() -> None:
    """Create or update the database tables."""
    from certify.migrate import migrate as run_migrate

    _run(run_migrate)
    click.echo("certify: the database is up to date")


@main.command("add-kommun")
@click.option("--code", required=True, help="The four-digit municipality code, e.g. 2081.")
@click.option("--name", required=True, help='The name, e.g. "Borlänge kommun".')
@click.option("--contact", default="", help="Contact line printed on documents.")
@click.option("--prefix", default="", help="Certificate number prefix (default from the name).")
def add_kommun(code: str, name: str, contact: str, prefix: str) -> None:
    """Add a kommun served by this installation."""
    from certify.migrate import migrate as run_migrate
    from certify.services import kommuner

    async def work() -> Any:
        await run_migrate()
        return await kommuner.add(code, name, contact, prefix)

    view = _run(work)
    click.echo(f"certify: added {view.name} ({view.code})")


@main.command("create-user")
@click.option("--email", required=True, help="The user's e-mail address (their login).")
@click.option("--role", required=True, type=click.Choice(["owner", "inspector", "kommun"]))
@click.option("--name", required=True, help="The user's full name.")
@click.option("--kommun", "kommun_codes", multiple=True, help="Kommun code (repeat for inspectors).")
def create_user(email: str, role: str, name: str, kommun_codes: tuple[str, ...]) -> None:
    """Create a user; the password comes from CERTIFY_PASSWORD or a prompt."""
    from certify.domain.status import Role
    from certify.services import accounts
    from certify.tables import Kommun

    password = os.environ.get("CERTIFY_PASSWORD") or click.prompt(
        "Password (at least 10 characters)", hide_input=True, confirmation_prompt=True
    )

    async def work() -> int:
        codes = list(kommun_codes)
        if not codes and role != "owner":
            rows = await Kommun.select(Kommun.code).run()
            if len(rows) != 1:
                raise DomainError("--kommun is required when there is not exactly one kommun")
            codes = [rows[0]["code"]]
        return await accounts.create_account(
            email=email, name=name, role=Role(role), password=password, kommun_codes=codes
        )

    account_id = _run(work)
    click.echo(f"certify: created {role} {email} (id {account_id})")


@main.command()
def demo() -> None:
    """Load demo data: Borlänge shops in every state and one user per role."""
    from certify.demo import load_demo
    from certify.migrate import migrate as run_migrate

    async def work() -> list[str]:
        await run_migrate()
        return await load_demo(progress=lambda line: click.echo(f"  {line}"))

    for line in _run(work):
        click.echo(line)


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE, also while the service runs."""
    from certify.backup import BackupFailed, backup

    try:
        backup(_settings().database, file, _progress("backing up"))
    except BackupFailed as exc:
        _fail(exc.message)
    click.echo(f"certify: backup written to {file}")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with the backup in FILE (stop the service first)."""
    from certify.backup import BackupFailed, restore

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        restore(_settings().database, file, _progress("restoring"))
    except BackupFailed as exc:
        _fail(exc.message)
    click.echo(f"certify: restored the database from {file}")


def _progress(verb: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        click.echo(f"\r  {verb}: {done}/{total} pages", nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    return show


@main.command()
def catalogue() -> None:
    """Bring the language catalogues up to date with the code (locale/*.po, messages.pot)."""
    from certify.text import extraction

    for code, missing in extraction.update().items():
        click.echo(f"{code}: {missing} message(s) without a translation")


@main.command()
def diagram() -> None:
    """Print the case workflow as a Mermaid diagram (as shown in the README)."""
    from statemachine.contrib.diagram import MermaidGraphMachine

    from certify.domain.workflow import CaseWorkflow

    click.echo(MermaidGraphMachine(CaseWorkflow).get_mermaid().strip())


@main.command()
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge as if today were this date (YYYY-MM-DD); for catching up after downtime.",
)
def tick(as_of: Any) -> None:
    """Daily work for cron: expiry, reminders, overdue corrections, personal-data retention."""
    from certify.services import jobs

    on: date | None = as_of.date() if as_of else None
    report = _run(lambda: jobs.tick(on))
    click.echo(
        f"certify: tick {report.on}: {len(report.expired)} expired, {len(report.reminders)} reminders, "
        f"{len(report.personal_data_removed)} cases past retention cleaned"
    )
    for number in report.expired:
        click.echo(f"  expired {number}")
    for number, days in report.reminders:
        click.echo(f"  reminder {days} days: {number}")


@main.command("send-mail")
def send_mail() -> None:
    """Send the e-mails waiting in the outbox once (for cron; the service also sends by itself)."""
    from certify.services import mailer

    report = _run(lambda: mailer.send_due(_settings()))
    click.echo(f"certify: {report.sent} sent, {report.retrying} to retry later, {report.given_up} given up")
    for error in report.errors[:5]:
        click.echo(f"  {error}", err=True)


@main.command("deliver-webhooks")
def deliver_webhooks() -> None:
    """POST the webhook deliveries that are due once (the service also delivers by itself)."""
    from certify.services import webhooks

    report = _run(lambda: webhooks.deliver_due(_settings()))
    click.echo(
        f"certify: {report.delivered} delivered, {report.retrying} to retry later, {report.given_up} given up"
    )


@main.command("import-businesses")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--kommun", "kommun_code", default=None, help="Kommun code (needed if there are several).")
@click.option("--only-valid", is_flag=True, help="Import the valid rows even if some rows have errors.")
def import_businesses(file: str, kommun_code: str | None, only_valid: bool) -> None:
    """Import businesses from a CSV file (namn;organisationsnummer;adress;postnummer;ort;område;e-post)."""
    from certify.services import imports
    from certify.services.businesses import resolve_kommun

    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")

    def progress(done: int, total: int) -> None:
        if done == total or done % 500 == 0:
            click.echo(f"\r  written {done}/{total}", nl=done == total)

    async def work() -> imports.ImportReport:
        kommun_id = await resolve_kommun(kommun_code)
        return await imports.import_businesses(data, kommun_id, only_valid=only_valid, progress=progress)

    report = _run(work)
    for error in report.errors:
        click.echo(f"  row {error.row}: {error.field}: {error.message}", err=True)
    if not report.written:
        _fail(f"{len(report.errors)} errors in {report.rows} rows; nothing was imported (see --only-valid)")
    click.echo(
        f"certify: {report.created} imported, {report.unchanged} already known, "
        f"{report.rows - report.valid} rows skipped"
    )


if __name__ == "__main__":
    main()
