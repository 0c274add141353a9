"""SMTP settings: no host means the outbox just waits; every malformed value is one clear error."""

from __future__ import annotations

import pytest

from certify.settings import SettingsError, SmtpSettings


def test_no_host_means_no_smtp() -> None:
    assert SmtpSettings.from_env({}) is None


def test_ports_default_by_tls_mode() -> None:
    assert SmtpSettings.from_env({"CERTIFY_SMTP_HOST": "smtp.borlange.se"}) == SmtpSettings(
        host="smtp.borlange.se", port=587, tls="starttls"
    )
    implicit = SmtpSettings.from_env({"CERTIFY_SMTP_HOST": "smtp.borlange.se", "CERTIFY_SMTP_TLS": "TLS"})
    assert implicit is not None and (implicit.port, implicit.tls) == (465, "tls")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"CERTIFY_SMTP_TLS": "ssl"}, "CERTIFY_SMTP_TLS"),
        ({"CERTIFY_SMTP_PORT": "70000"}, "CERTIFY_SMTP_PORT"),
        ({"CERTIFY_SMTP_PASSWORD": "hemligt"}, "CERTIFY_SMTP_USER"),
    ],
)
def test_malformed_values_name_the_setting(extra: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        SmtpSettings.from_env({"CERTIFY_SMTP_HOST": "smtp.borlange.se", **extra})
