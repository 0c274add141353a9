"""Settings read once from the environment, so every process is configured the same way."""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from certify.domain.numerals import ascii_int
from certify.text.catalogue import _

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_ROOT / "templates"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"


class SettingsError(Exception):
    """A setting is malformed; the message names the setting and why, in one line."""


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """Where the data lives: a SQLite file or a PostgreSQL server."""

    kind: str  # "sqlite" or "postgres"
    sqlite_path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    database: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.kind == "sqlite"

    @classmethod
    def parse(cls, raw: str, var_dir: Path) -> DatabaseUrl:
        if not raw:
            return cls(kind="sqlite", sqlite_path=var_dir / "certify.sqlite3")
        parts = urlsplit(raw)
        if parts.scheme == "sqlite":
            path = raw[len("sqlite:///") :] if raw.startswith("sqlite:///") else ""
            if not path:
                raise SettingsError(
                    _(
                        "CERTIFY_DATABASE_URL: en SQLite-adress behöver en filsökväg, t.ex. sqlite:///var/app.db"
                    )
                )
            file = Path(path)
            return cls(kind="sqlite", sqlite_path=file if file.is_absolute() else Path.cwd() / file)
        if parts.scheme in {"postgres", "postgresql"}:
            database = parts.path.lstrip("/")
            if not parts.hostname or not database:
                raise SettingsError(
                    _(
                        "CERTIFY_DATABASE_URL: en PostgreSQL-adress behöver en värd och ett databasnamn, "
                        "t.ex. postgresql://user@127.0.0.1:5432/certify"
                    )
                )
            try:
                port = parts.port or 5432
            except ValueError as exc:
                raise SettingsError(_("CERTIFY_DATABASE_URL: porten är inte ett tal")) from exc
            return cls(
                kind="postgres",
                host=parts.hostname,
                port=port,
                user=parts.username or "postgres",
                password=parts.password or "",
                database=database,
            )
        raise SettingsError(
            _(
                "CERTIFY_DATABASE_URL: skriv sqlite:///sökväg eller postgresql://värd/databas, inte ”{value}”"
            ).format(value=parts.scheme or raw)
        )


SMTP_TLS_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where the outbox is sent; without CERTIFY_SMTP_HOST messages wait in the outbox."""

    host: str
    port: int
    tls: str  # one of SMTP_TLS_MODES
    user: str = ""
    password: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        host = env.get("CERTIFY_SMTP_HOST", "").strip()
        if not host:
            return None
        tls = (env.get("CERTIFY_SMTP_TLS") or "starttls").strip().lower()
        if tls not in SMTP_TLS_MODES:
            raise SettingsError(
                _("CERTIFY_SMTP_TLS: ”{value}” är inte ett av {choices}").format(
                    value=tls, choices=", ".join(SMTP_TLS_MODES)
                )
            )
        raw_port = (env.get("CERTIFY_SMTP_PORT") or ("465" if tls == "tls" else "587")).strip()
        port = ascii_int(raw_port, max_digits=5)
        if port is None or not 0 < port < 65536:
            raise SettingsError(
                _("CERTIFY_SMTP_PORT: ”{value}” är inte ett portnummer").format(value=raw_port)
            )
        user, password = env.get("CERTIFY_SMTP_USER", ""), env.get("CERTIFY_SMTP_PASSWORD", "")
        if password and not user:
            raise SettingsError(_("CERTIFY_SMTP_PASSWORD är satt men inte CERTIFY_SMTP_USER"))
        return cls(host=host, port=port, tls=tls, user=user, password=password)


EID_DEFAULT_SCOPES = ("openid", "profile", "https://id.oidc.se/scope/naturalPersonNumber")
EID_DEFAULT_PERSON_NUMBER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"


def issuer_is_secure(issuer: str) -> bool:
    """An OpenID provider's issuer certify may trust: https, or plain http only on loopback (the
    tests' provider). Both the e-legitimation provider and each kommun's staff provider pass here."""
    parts = urlsplit(issuer)
    loopback = parts.hostname in {"127.0.0.1", "::1", "localhost"}
    return bool(parts.hostname) and (parts.scheme == "https" or (parts.scheme == "http" and loopback))


@dataclass(frozen=True, slots=True)
class EidSettings:
    """The installation's e-legitimation provider (OpenID Connect); without an issuer it is off."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = EID_DEFAULT_SCOPES
    person_number_claim: str = EID_DEFAULT_PERSON_NUMBER_CLAIM

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EidSettings | None:
        issuer = env.get("CERTIFY_EID_ISSUER", "").strip().rstrip("/")
        if not issuer:
            return None
        if not issuer_is_secure(issuer):
            raise SettingsError(
                _(
                    "CERTIFY_EID_ISSUER: ”{value}” är ingen https-adress (http bara på loopback, för tester)"
                ).format(value=issuer)
            )
        client_id = env.get("CERTIFY_EID_CLIENT_ID", "").strip()
        client_secret = env.get("CERTIFY_EID_CLIENT_SECRET", "").strip()
        if not client_id or not client_secret:
            raise SettingsError(
                _("CERTIFY_EID_ISSUER är satt: då behövs CERTIFY_EID_CLIENT_ID och CERTIFY_EID_CLIENT_SECRET")
            )
        scopes = tuple(env.get("CERTIFY_EID_SCOPES", "").split()) or EID_DEFAULT_SCOPES
        if "openid" not in scopes:
            raise SettingsError(_("CERTIFY_EID_SCOPES: måste innehålla openid"))
        claim = env.get("CERTIFY_EID_PERSON_NUMBER_CLAIM", "").strip() or EID_DEFAULT_PERSON_NUMBER_CLAIM
        return cls(issuer, client_id, client_secret, scopes, claim)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that differs between installations."""

    database: DatabaseUrl
    secret_key: str
    base_url: str
    var_dir: Path
    secure_cookies: bool
    background_jobs: bool
    debug: bool = False
    upload_max_bytes: int = 10 * 1024 * 1024  # one evidence file
    upload_max_per_case: int = 20  # evidence files per case
    image_max_px: int = 2048  # longest side of a stored photo (images/normalised.py)
    smtp: SmtpSettings | None = None
    mail_from: str = "certify@localhost"
    webhook_http_hosts: frozenset[str] = frozenset()  # hosts a webhook may reach over plain http
    webhook_allow_private: bool = False  # webhooks to loopback, private and link-local addresses
    trusted_proxies: tuple[IpNetwork, ...] = ()  # peers whose X-Forwarded-For names the client
    eid: EidSettings | None = None  # log-in with e-legitimation for shop owners (services/eid.py)
    staff_session_hours: int = 8  # a log-in through a kommun's own provider lasts this long at most

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        var_dir = Path(env.get("CERTIFY_VAR_DIR") or DEFAULT_VAR_DIR).resolve()
        base_url = public_base_url(env)
        base = urlsplit(base_url)
        if base.scheme not in {"http", "https"} or not base.netloc:
            raise SettingsError(
                _(
                    "CERTIFY_BASE_URL: ”{value}” är ingen http(s)-adress som https://certify.example.se"
                ).format(value=base_url)
            )
        return cls(
            database=database_from_env(env),
            secret_key=_secret_key(env.get("CERTIFY_SECRET_KEY", ""), var_dir),
            base_url=base_url,
            var_dir=var_dir,
            secure_cookies=base.scheme == "https",
            background_jobs=_flag(env, "CERTIFY_BACKGROUND_JOBS", default=True),
            debug=_flag(env, "CERTIFY_DEBUG", default=False),
            upload_max_bytes=_positive_int(env, "CERTIFY_UPLOAD_MAX_MB", default=10) * 1024 * 1024,
            upload_max_per_case=_positive_int(env, "CERTIFY_UPLOAD_MAX_PER_CASE", default=20),
            image_max_px=_positive_int(env, "CERTIFY_IMAGE_MAX_PX", default=2048),
            smtp=SmtpSettings.from_env(env),
            mail_from=_mail_from(env.get("CERTIFY_MAIL_FROM", ""), base.hostname or "localhost"),
            webhook_http_hosts=frozenset(
                host.strip().lower().strip("[]")
                for host in env.get("CERTIFY_WEBHOOK_HTTP_HOSTS", "").split(",")
                if host.strip()
            ),
            webhook_allow_private=_flag(env, "CERTIFY_WEBHOOK_ALLOW_PRIVATE", default=False),
            trusted_proxies=_networks(env, "CERTIFY_TRUSTED_PROXIES"),
            eid=EidSettings.from_env(env),
            staff_session_hours=_positive_int(env, "CERTIFY_STAFF_SESSION_HOURS", default=8),
        )


def database_from_env(env: Mapping[str, str] | None = None) -> DatabaseUrl:
    """Only the database part, for Piccolo's conf module (no secret key needed there)."""
    env = os.environ if env is None else env
    var_dir = Path(env.get("CERTIFY_VAR_DIR") or DEFAULT_VAR_DIR).resolve()
    return DatabaseUrl.parse(env.get("CERTIFY_DATABASE_URL", ""), var_dir)


def public_base_url(env: Mapping[str, str] | None = None) -> str:
    """The public base URL for links printed in PDFs and e-mails (checked at start-up)."""
    env = os.environ if env is None else env
    return (env.get("CERTIFY_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")


def _mail_from(raw: str, host: str) -> str:
    """The sender address; defaults to no-reply at the service's own host name."""
    address = raw.strip() or f"no-reply@{host}"
    if "@" not in address or any(c in address for c in "\r\n"):
        raise SettingsError(_("CERTIFY_MAIL_FROM: ”{value}” är ingen e-postadress").format(value=address))
    return address


def _networks(env: Mapping[str, str], name: str) -> tuple[IpNetwork, ...]:
    """Comma-separated addresses or CIDR ranges, e.g. 10.0.0.5,192.168.10.0/24,::1."""
    networks = []
    for raw in env.get(name, "").split(","):
        if raw.strip():
            try:
                networks.append(ipaddress.ip_network(raw.strip(), strict=False))
            except ValueError as exc:
                raise SettingsError(
                    _("{name}: ”{value}” är ingen IP-adress eller adressrymd").format(
                        name=name, value=raw.strip()
                    )
                ) from exc
    return tuple(networks)


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(
        _("{name}: ”{value}” är inte ja eller nej (skriv 1/0, true/false)").format(name=name, value=raw)
    )


def _positive_int(env: Mapping[str, str], name: str, *, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    number = ascii_int(raw)
    if number is None or number < 1:
        raise SettingsError(
            _("{name}: ”{value}” är inte ett heltal från 1 och uppåt").format(name=name, value=raw)
        )
    return number


def _secret_key(raw: str, var_dir: Path) -> str:
    """Use the configured key, or one kept under var/ so sessions survive restarts."""
    if raw:
        if len(raw) < 32:
            raise SettingsError(_("CERTIFY_SECRET_KEY: måste vara minst 32 tecken lång"))
        return raw
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="ascii")
    key_file.chmod(0o600)
    print(
        f"warning: CERTIFY_SECRET_KEY is not set; generated one and kept it in {key_file}",
        file=sys.stderr,
    )
    return key
