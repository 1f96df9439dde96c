"""Start-up checks: production refuses development secrets and a pinned clock."""
import pytest

from thuiszitters.settings import ConfigError, check_config

GOOD = {
    "ENV": "production",
    "SECRET_KEY": "k" * 40,
    "INSPECTIE_KEY": "i" * 40,
    "FIXED_TODAY": "",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/thuiszitters",
    "MAIL_SERVER": "smtp.example.nl",
}


def test_production_with_real_secrets_starts_with_secure_cookies_and_mfa():
    config = dict(GOOD)
    check_config(config)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["MFA_REQUIRED"] is True
    assert config["MFA_ENROLMENT_MAIL_CODE"] is True


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": "dev-only-not-secret"}, "THUISZITTERS_SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "THUISZITTERS_SECRET_KEY"),
        ({"INSPECTIE_KEY": ""}, "THUISZITTERS_INSPECTIE_KEY"),
        ({"FIXED_TODAY": "2026-01-01"}, "FIXED_TODAY"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}, "PostgreSQL"),
        ({"MAIL_SERVER": ""}, "THUISZITTERS_MAIL_SERVER"),
    ],
)
def test_production_refuses_unsafe_settings(override, message):
    with pytest.raises(ConfigError, match=message):
        check_config({**GOOD, **override})


def test_a_malformed_fixed_today_is_refused_everywhere():
    with pytest.raises(RuntimeError, match="YYYY-MM-DD"):
        check_config({**GOOD, "ENV": "development", "FIXED_TODAY": "23-11-2026"})
