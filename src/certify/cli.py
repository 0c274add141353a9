"""The `certify` command: run the service, manage the database and its users.

It speaks Swedish when the locale is Swedish (LC_ALL, LC_MESSAGES, then LANG, read as POSIX does:
`sv_SE.UTF-8`) and English otherwise; every line it prints comes from the catalogue, and a failure is
one line on stderr and exit status 1. Its --help texts and click's own usage errors stay English.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from certify.database import use_piccolo_conf
from certify.domain.errors import DomainError
from certify.settings import Settings, SettingsError
from certify.text import vocabulary
from certify.text.catalogue import _, ngettext, use
from certify.text.vocabulary import role_label

T = TypeVar("T")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def command_line_language(environ: Mapping[str, str]) -> str:
    """Swedish for a Swedish locale, English for any other (or none): the first of LC_ALL,
    LC_MESSAGES and LANG that is set decides, as for any POSIX program."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def _fail(message: str) -> None:
    click.echo(f"certify: {message}", err=True)
    sys.exit(1)


def _run(coroutine_factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run async work with the database prepared; any expected failure becomes one line."""
    from certify import database
    from certify.migrate import MigrationFailed

    async def main() -> T:
        await database.prepare()
        try:
            return await coroutine_factory()
        finally:
            await database.close()

    try:
        return asyncio.run(main())
    except (DomainError, MigrationFailed) as exc:
        _fail(exc.message)
    except (OSError, ConnectionError) as exc:
        _fail(_("databasen går inte att nå ({error})").format(error=f"{exc.__class__.__name__}: {exc}"))
    raise AssertionError("unreachable")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(context: click.Context) -> None:
    """certify – the kommun's service for "Skydd mot rån i handeln".

    Settings come from environment variables (CERTIFY_DATABASE_URL, CERTIFY_SECRET_KEY,
    CERTIFY_BASE_URL, …); see the README.
    """
    context.with_resource(use(command_line_language(os.environ)))
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
    click.echo(
        "certify: " + _("tjänsten svarar på {url} (Ctrl-C stoppar)").format(url=f"http://{host}:{port}/")
    )
    server.run("certify.app:asgi", host, port, workers)


@main.command()
def migrate() -> None:
    """Create or update the database tables."""
    from certify.migrate import migrate as run_migrate

    _run(run_migrate)
    click.echo("certify: " + _("databasen är uppdaterad"))


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
    click.echo("certify: " + _("lade till {name} ({code})").format(name=view.name, code=view.code))


@main.group("kommun-login")
def kommun_login() -> None:
    """A kommun's own OpenID Connect provider (e.g. Entra ID) for its staff's log-in."""


@kommun_login.command("set")
@click.option("--kommun", "kommun_code", required=True, help="Kommun code, e.g. 2081.")
@click.option("--issuer", default=None, help="The provider's issuer URL (discovery is read from it).")
@click.option("--client-id", default=None, help="certify's client id at the provider.")
@click.option(
    "--client-secret",
    envvar="CERTIFY_CLIENT_SECRET",
    default=None,
    help="The client secret; better given in CERTIFY_CLIENT_SECRET than on the command line.",
)
@click.option(
    "--groups-claim", default=None, help='The ID token claim that lists groups or roles (default "groups").'
)
@click.option("--kommun-group", default=None, help="The claim value that makes a kommun user.")
@click.option("--inspector-group", default=None, help="The claim value that makes an inspector.")
@click.option(
    "--password-login/--no-password-login",
    "password_login",
    default=None,
    help="Whether this kommun's staff may still log in with a password.",
)
def kommun_login_set(
    kommun_code: str,
    issuer: str | None,
    client_id: str | None,
    client_secret: str | None,
    groups_claim: str | None,
    kommun_group: str | None,
    inspector_group: str | None,
    password_login: bool | None,
) -> None:
    """Connect the kommun's provider, or change the options given."""
    from certify.migrate import migrate as run_migrate
    from certify.services import staff_login

    async def work() -> Any:
        await run_migrate()
        return await staff_login.configure(
            await staff_login.kommun_id_of(kommun_code),
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            groups_claim=groups_claim,
            kommun_group=kommun_group,
            inspector_group=inspector_group,
            password_login_off=None if password_login is None else not password_login,
        )

    provider = _run(work)
    click.echo(
        "certify: "
        + _("{kommun} loggar in sin personal via {issuer}").format(
            kommun=provider.kommun_name, issuer=provider.issuer
        )
    )
    if not provider.kommun_group and not provider.inspector_group:
        click.echo(
            "certify: " + _("ingen grupp ger en roll ännu: ange --kommun-group eller --inspector-group"),
            err=True,
        )


@kommun_login.command("show")
@click.option("--kommun", "kommun_code", required=True, help="Kommun code, e.g. 2081.")
def kommun_login_show(kommun_code: str) -> None:
    """Show the kommun's provider (not the client secret)."""
    from certify.services import staff_login

    async def work() -> staff_login.Provider | None:
        return await staff_login.provider_of(await staff_login.kommun_id_of(kommun_code))

    provider = _run(work)
    if provider is None:
        click.echo(
            "certify: " + _("ingen egen inloggning för personalen i kommunen {code}").format(code=kommun_code)
        )
        return
    field = vocabulary.kommun_login_field
    lines = [
        (_("Kommun"), f"{provider.kommun_name} ({provider.kommun_code})"),
        (field("issuer"), provider.issuer),
        (field("client_id"), provider.client_id),
        (field("client_secret"), _("angiven") if provider.client_secret else _("saknas")),
        (field("groups_claim"), provider.groups_claim),
        (field("kommun_group"), provider.kommun_group or "–"),
        (field("inspector_group"), provider.inspector_group or "–"),
        (field("password_login"), _("avstängd") if provider.password_login_off else _("tillåten")),
    ]
    for label, value in lines:
        click.echo(f"{label}: {value}")


@kommun_login.command("clear")
@click.option("--kommun", "kommun_code", required=True, help="Kommun code, e.g. 2081.")
def kommun_login_clear(kommun_code: str) -> None:
    """Disconnect the kommun's provider (password log-in applies again to its staff)."""
    from certify.services import staff_login

    async def work() -> None:
        await staff_login.clear(await staff_login.kommun_id_of(kommun_code))

    _run(work)
    click.echo("certify: " + _("kommunens egen inloggning är borttagen ({code})").format(code=kommun_code))


@main.group("diarium")
def diarium_group() -> None:
    """How a kommun's cases get their diarienummer when they come in."""


@diarium_group.command("set")
@click.option("--kommun", "kommun_code", required=True, help="Kommun code, e.g. 2081.")
@click.option(
    "--format",
    "number_format",
    default=None,
    help='The numbers\' format, with {seq} and optionally {year}, e.g. "KS {year}/{seq}" (KS 2026/00042).',
)
@click.option(
    "--typed/--handed-out",
    "typed",
    default=None,
    help="Type each case's number in from the kommun's own case system, or have certify hand them out.",
)
def diarium_set(kommun_code: str, number_format: str | None, typed: bool | None) -> None:
    """Change the kommun's diarienummer options given."""
    from certify.migrate import migrate as run_migrate
    from certify.services import diarium

    async def work() -> Any:
        await run_migrate()
        return await diarium.configure(kommun_code, number_format=number_format, typed=typed)

    _print_diarium(_run(work))


@diarium_group.command("show")
@click.option("--kommun", "kommun_code", required=True, help="Kommun code, e.g. 2081.")
def diarium_show(kommun_code: str) -> None:
    """Show how the kommun's cases get their diarienummer."""
    from certify.services import diarium

    _print_diarium(_run(lambda: diarium.show(kommun_code)))


def _print_diarium(settings: Any) -> None:
    from certify.domain.diarienummer import compose

    lines = [
        (_("Kommun"), f"{settings.kommun_name} ({settings.kommun_code})"),
        (
            _("Diarienummer"),
            _("skrivs in från kommunens ärendesystem")
            if settings.typed
            else _("ges av certify, till exempel {example}").format(
                example=compose(settings.number_format, date.today().year, 42)
            ),
        ),
        (_("Format"), settings.number_format),
    ]
    for label, value in lines:
        click.echo(f"{label}: {value}")


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
        _("Lösenord (minst 10 tecken)"),
        hide_input=True,
        confirmation_prompt=_("Upprepa lösenordet"),
    )

    async def work() -> int:
        codes = list(kommun_codes)
        if not codes and role != "owner":
            rows = await Kommun.select(Kommun.code).run()
            if len(rows) != 1:
                raise DomainError("kommun_option_required")
            codes = [rows[0]["code"]]
        return await accounts.create_account(
            email=email, name=name, role=Role(role), password=password, kommun_codes=codes
        )

    account_id = _run(work)
    click.echo(
        "certify: "
        + _("skapade {role} {email} (id {id})").format(role=role_label(role), email=email, id=account_id)
    )


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
        backup(_settings().database, file, _progress(_("säkerhetskopierar")))
    except BackupFailed as exc:
        _fail(exc.message)
    click.echo("certify: " + _("säkerhetskopian är skriven till {file}").format(file=file))


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with the backup in FILE (stop the service first)."""
    from certify.backup import BackupFailed, restore

    if not yes:
        click.confirm(_("Detta ersätter allt i databasen. Fortsätta?"), abort=True)
    try:
        restore(_settings().database, file, _progress(_("återställer")))
    except BackupFailed as exc:
        _fail(exc.message)
    click.echo("certify: " + _("databasen är återställd från {file}").format(file=file))


def _progress(verb: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        pages = ngettext("%(num)d sida", "%(num)d sidor", total)
        click.echo(f"\r  {verb}: {done}/{pages}", nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    return show


@main.command()
def catalogue() -> None:
    """Bring the language catalogues up to date with the code (locale/*.po, messages.pot)."""
    from certify.text import extraction

    for code, missing in extraction.update().items():
        click.echo(
            f"{code}: "
            + ngettext(
                "%(num)d meddelande utan översättning", "%(num)d meddelanden utan översättning", missing
            )
        )


@main.command()
@click.option("--chain", is_flag=True, help="The chain case's workflow instead of a shop's case.")
def diagram(chain: bool) -> None:
    """Print the case workflow as a Mermaid diagram (as shown in the README)."""
    from statemachine.contrib.diagram import MermaidGraphMachine

    from certify.domain.chain_workflow import ChainCaseWorkflow
    from certify.domain.workflow import CaseWorkflow

    click.echo(MermaidGraphMachine(ChainCaseWorkflow if chain else CaseWorkflow).get_mermaid().strip())


@main.command()
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge as if today were this date (YYYY-MM-DD); for catching up after downtime.",
)
def tick(as_of: Any) -> None:
    """Daily work for cron: expiry, reminders, overdue corrections, gallring by the kommuner's plans."""
    from certify.services import jobs

    on: date | None = as_of.date() if as_of else None
    report = _run(lambda: jobs.tick(on))
    click.echo(
        "certify: "
        + _("dagligt arbete {date}: {expired}, {reminders}, {cleaned}").format(
            date=report.on.isoformat(),
            expired=ngettext("%(num)d intyg gick ut", "%(num)d intyg gick ut", len(report.expired)),
            reminders=ngettext("%(num)d påminnelse", "%(num)d påminnelser", len(report.reminders)),
            cleaned=ngettext(
                "%(num)d gallring enligt kommunens plan",
                "%(num)d gallringar enligt kommunens plan",
                len(report.purged),
            ),
        )
    )
    for number in report.expired:
        click.echo("  " + _("gick ut: {number}").format(number=number))
    for number, days in report.reminders:
        click.echo("  " + _("påminnelse {days} dagar före: {number}").format(days=days, number=number))


@main.command("normalise-photos")
def normalise_photos() -> None:
    """Once after upgrading: photos stored before uploads were normalised lose their EXIF and GPS."""
    from certify.services import stored_photos

    verb = _("går igenom")

    def show(done: int, total: int) -> None:
        photos = ngettext("%(num)d bild", "%(num)d bilder", total)
        click.echo(f"\r  {verb}: {done}/{photos}", nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    report = _run(lambda: stored_photos.normalise_stored(_settings().image_max_px, show))
    click.echo(
        "certify: "
        + _(
            "{rewritten} av {examined} sparade bilder normaliserades, {unreadable} gick inte att läsa"
        ).format(rewritten=report.rewritten, examined=report.examined, unreadable=report.unreadable)
    )


@main.command("send-mail")
def send_mail() -> None:
    """Send the e-mails waiting in the outbox once (for cron; the service also sends by itself)."""
    from certify.services import mailer

    report = _run(lambda: mailer.send_due(_settings()))
    click.echo(
        "certify: "
        + _("{sent} skickade, {retrying} försöks igen senare, {given_up} gavs upp").format(
            sent=report.sent, retrying=report.retrying, given_up=report.given_up
        )
    )
    for error in report.errors[:5]:
        click.echo(f"  {error}", err=True)


@main.command("deliver-webhooks")
def deliver_webhooks() -> None:
    """POST the webhook deliveries that are due once (the service also delivers by itself)."""
    from certify.services import webhooks

    report = _run(lambda: webhooks.deliver_due(_settings()))
    click.echo(
        "certify: "
        + _("{delivered} levererade, {retrying} försöks igen senare, {given_up} gavs upp").format(
            delivered=report.delivered, retrying=report.retrying, given_up=report.given_up
        )
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
        _fail(_("kan inte läsa {file}: {error}").format(file=file, error=exc.strerror or exc))

    def progress(done: int, total: int) -> None:
        if done == total or done % 500 == 0:
            click.echo("\r  " + _("skrivna {done}/{total}").format(done=done, total=total), nl=done == total)

    async def work() -> imports.ImportReport:
        kommun_id = await resolve_kommun(kommun_code)
        return await imports.import_businesses(data, kommun_id, only_valid=only_valid, progress=progress)

    report = _run(work)
    for error in report.errors:
        click.echo(
            "  "
            + _("rad {row}: {field}: {error}").format(row=error.row, field=error.field, error=error.message),
            err=True,
        )
    if not report.written:
        _fail(
            _("{errors} fel på {rows} rader; ingenting importerades (se --only-valid)").format(
                errors=len(report.errors), rows=report.rows
            )
        )
    click.echo(
        "certify: "
        + _("{created} importerade, {unchanged} redan kända, {skipped} rader hoppades över").format(
            created=report.created, unchanged=report.unchanged, skipped=report.rows - report.valid
        )
    )


@main.group("archive")
def archive_group() -> None:
    """Deliver closed cases to the kommun's e-archive (E-ARK SIP, FGS Paketstruktur 2.0)."""


@archive_group.command("export")
@click.option("--case", "case_id", type=int, default=None, help="The id of one closed case.")
@click.option(
    "--closed-before",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Every registered case closed before this date (YYYY-MM-DD), in every kommun.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory for the packages (made if missing); each is named by its diarienummer.",
)
def archive_export(case_id: int | None, closed_before: Any, out_dir: Path) -> None:
    """Write one E-ARK SIP (ZIP) per case and register each delivery; the cases stay as they are."""
    from certify.services import archive

    if (case_id is None) == (closed_before is None):
        _fail(_("ange antingen --case eller --closed-before"))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(
            _("kan inte skriva i {directory}: {error}").format(directory=out_dir, error=exc.strerror or exc)
        )

    def progress(done: int, total: int) -> None:
        click.echo("\r  " + _("arkivpaket {done}/{total}").format(done=done, total=total), nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    async def work() -> list[Path]:
        ids = [case_id] if case_id is not None else await archive.closed_before(closed_before.date())
        written: list[Path] = []
        for done, application_id in enumerate(ids, start=1):
            package = await archive.build(None, application_id)
            target = out_dir / package.file_name
            try:
                target.write_bytes(package.content)
            except OSError as exc:
                _fail(
                    _("kan inte skriva i {directory}: {error}").format(
                        directory=out_dir, error=exc.strerror or exc
                    )
                )
            try:
                await archive.record(None, package)
            except BaseException:
                target.unlink(missing_ok=True)  # no package without its record in the register
                raise
            written.append(target)
            if len(ids) > 1:
                progress(done, len(ids))
        return written

    written = _run(work)
    for target in written:
        click.echo(f"  {target}")
    click.echo(
        "certify: "
        + ngettext(
            "%(num)d arkivpaket skrivet till {directory}",
            "%(num)d arkivpaket skrivna till {directory}",
            len(written),
        ).format(directory=out_dir)
    )


if __name__ == "__main__":
    main()
