"""Start-up checks: production refuses development secrets and a pinned clock."""
import pytest

from thuiszitters.settings import ConfigError, check_config

# Random-looking keys (a key of one repeated character is refused since issue 14).
GOOD = {
    "ENV": "production",
    "SECRET_KEY": "Zq3-vN8_pX1rT6wL0yB5cH2kM9sJ4fD7gA",
    "INSPECTIE_KEY": "e1Rw7_Ku4Pn0Xa-9Lm2Vq6Hb3Ts8Yc5Jd",
    "FIXED_TODAY": "",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/thuiszitters",
    "MAIL_SERVER": "smtp.example.nl",
    "MAIL_SENDER": "thuiszitters@example.nl",
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
        ({"MAIL_SENDER": "thuiszitters@example.nl\r\nBcc: x@example.nl"}, "THUISZITTERS_MAIL_SENDER"),
    ],
)
def test_production_refuses_unsafe_settings(override, message):
    with pytest.raises(ConfigError, match=message):
        check_config({**GOOD, **override})


def test_a_malformed_fixed_today_is_refused_everywhere():
    with pytest.raises(RuntimeError, match="YYYY-MM-DD"):
        check_config({**GOOD, "ENV": "development", "FIXED_TODAY": "23-11-2026"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "a" * 32),
        ("SECRET_KEY", "ab" * 20),
        ("SECRET_KEY", "0123456789" * 4),
        ("SECRET_KEY", "a" * 31 + "b"),
        ("INSPECTIE_KEY", "x" * 64),
    ],
)
def test_production_refuses_a_long_but_predictable_secret_with_a_clear_message(name, value):
    with pytest.raises(ConfigError) as refused:
        check_config({**GOOD, name: value})
    message = str(refused.value)
    assert f"THUISZITTERS_{name} is too predictable" in message
    assert "secrets.token_urlsafe(48)" in message  # how to make a good one


@pytest.mark.parametrize("value", [
    "9f86d081884c7d659a2feaa0c55ad015",  # openssl rand -hex 16
    "Jt8cQm1xWz0pVb7nLs4-Ka_6Ey2Ru9Hd3Gf5Yo1Ni8Tc0Pq",  # secrets.token_urlsafe(36)
])
def test_production_accepts_generated_secrets(value):
    check_config({**GOOD, "SECRET_KEY": value})


def test_the_app_does_not_start_in_production_with_32_times_a(monkeypatch):
    from thuiszitters import create_app

    monkeypatch.setenv("THUISZITTERS_ENV", "production")
    monkeypatch.setenv("THUISZITTERS_SECRET_KEY", "a" * 32)
    monkeypatch.setenv("THUISZITTERS_INSPECTIE_KEY", GOOD["INSPECTIE_KEY"])
    monkeypatch.setenv("THUISZITTERS_MAIL_SERVER", "smtp.example.nl")
    monkeypatch.setenv("THUISZITTERS_MAIL_SENDER", "thuiszitters@example.nl")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/thuiszitters")
    monkeypatch.delenv("THUISZITTERS_FIXED_TODAY", raising=False)
    with pytest.raises(ConfigError, match="THUISZITTERS_SECRET_KEY is too predictable"):
        create_app()
