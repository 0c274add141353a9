"""Settings: defaults, the database URL forms, and one clear line for a malformed value."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.settings import Settings, SettingsError


def test_defaults_use_a_sqlite_file_under_var_and_keep_a_generated_key(tmp_path: Path) -> None:
    env = {"CERTIFY_VAR_DIR": str(tmp_path)}
    first = Settings.from_env(env)
    assert first.database.is_sqlite and first.database.sqlite_path == tmp_path / "certify.sqlite3"
    assert (tmp_path / "secret_key").exists()
    assert Settings.from_env(env).secret_key == first.secret_key, "the key survives restarts"
    assert first.base_url == "http://127.0.0.1:8000" and not first.secure_cookies


def test_postgres_url_and_https_base_url(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "CERTIFY_VAR_DIR": str(tmp_path),
            "CERTIFY_DATABASE_URL": "postgresql://certify:hemligt@db.example:6543/certify",
            "CERTIFY_BASE_URL": "https://intyg.borlange.se/",
            "CERTIFY_SECRET_KEY": "x" * 40,
        }
    )
    db = settings.database
    assert (db.kind, db.host, db.port, db.user, db.database) == (
        "postgres",
        "db.example",
        6543,
        "certify",
        "certify",
    )
    assert settings.base_url == "https://intyg.borlange.se" and settings.secure_cookies


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CERTIFY_DATABASE_URL", "mysql://x/y", "CERTIFY_DATABASE_URL"),
        ("CERTIFY_DATABASE_URL", "postgresql:///", "behöver en värd"),
        ("CERTIFY_DATABASE_URL", "sqlite://", "filsökväg"),
        ("CERTIFY_BASE_URL", "intyg.borlange.se", "CERTIFY_BASE_URL"),
        ("CERTIFY_SECRET_KEY", "short", "minst 32"),
        ("CERTIFY_BACKGROUND_JOBS", "kanske", "ja eller nej"),
    ],
)
def test_malformed_settings_name_the_setting(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as refused:
        Settings.from_env({"CERTIFY_VAR_DIR": str(tmp_path), name: value})
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("value", ["²", "٣", "+3", "1_0"])
def test_a_number_setting_in_other_digits_is_one_clear_line(tmp_path: Path, value: str) -> None:
    env = {"CERTIFY_VAR_DIR": str(tmp_path), "CERTIFY_UPLOAD_MAX_MB": value}
    with pytest.raises(SettingsError, match="CERTIFY_UPLOAD_MAX_MB"):
        Settings.from_env(env)
    smtp = {"CERTIFY_VAR_DIR": str(tmp_path), "CERTIFY_SMTP_HOST": "mail.example", "CERTIFY_SMTP_PORT": value}
    with pytest.raises(SettingsError, match="CERTIFY_SMTP_PORT"):
        Settings.from_env(smtp)
