"""Start-up checks: production refuses development secrets and a pinned clock."""
import pytest

from thuiszitters.settings import DEFAULT_OIDC_LABEL, ConfigError, check_config, oidc_settings

# Random-looking keys (a key of one repeated character is refused since issue 14).
GOOD = {
    "ENV": "production",
    "SECRET_KEY": "Zq3-vN8_pX1rT6wL0yB5cH2kM9sJ4fD7gA",
    "INSPECTIE_KEY": "e1Rw7_Ku4Pn0Xa-9Lm2Vq6Hb3Ts8Yc5Jd",
    "FIXED_TODAY": "",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/thuiszitters",
    "MAIL_SERVER": "smtp.example.nl",
    "MAIL_SENDER": "thuiszitters@example.nl",
    "BASE_URL": "https://thuiszitters.example.nl",
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
        ({"BASE_URL": "http://thuiszitters.example.nl"}, "THUISZITTERS_BASE_URL must be the app's absolute https"),
        ({"BASE_URL": "https:///api"}, "THUISZITTERS_BASE_URL"),
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


OIDC = {"OIDC_ISSUER": "https://login.example.nl/tenant/v2.0", "OIDC_CLIENT_ID": "thuiszitters",
        "OIDC_CLIENT_SECRET": "a-secret", "BASE_URL": "https://thuiszitters.example.nl", "OIDC_TIMEOUT_SECONDS": 10}


def test_without_an_issuer_sign_in_is_by_password_only():
    assert oidc_settings({"ENV": "production"}) is None
    check_config(dict(GOOD))


def test_a_complete_provider_setting_is_typed_at_start_up():
    settings = oidc_settings({**GOOD, **OIDC, "OIDC_MFA_ACR": "urn:a  urn:b"})
    assert settings.issuer == "https://login.example.nl/tenant/v2.0"
    assert settings.discovery_url == "https://login.example.nl/tenant/v2.0/.well-known/openid-configuration"
    assert settings.label == DEFAULT_OIDC_LABEL and settings.mfa_acr == frozenset({"urn:a", "urn:b"})
    check_config({**GOOD, **OIDC})


@pytest.mark.parametrize(
    ("override", "messages"),
    [
        ({"OIDC_CLIENT_SECRET": ""}, ["THUISZITTERS_OIDC_CLIENT_SECRET is required"]),
        ({"OIDC_ISSUER": "", "OIDC_CLIENT_ID": ""}, ["OIDC_ISSUER is required", "OIDC_CLIENT_ID is required"]),
        ({"OIDC_ISSUER": "login.example.nl"}, ["absolute https URL"]),
        ({"OIDC_ISSUER": "https://login.example.nl/?tenant=1"}, ["without query"]),
        ({"OIDC_ISSUER": "http://login.example.nl"}, ["must use https"]),
        ({"OIDC_ISSUER": "http://127.0.0.1:8080"}, ["must use https"]),  # not even loopback in production
        ({"BASE_URL": "http://thuiszitters.example.nl"}, ["THUISZITTERS_BASE_URL must be an https URL"]),
        ({"OIDC_LABEL": "x" * 61}, ["at most 60"]),
        ({"OIDC_TIMEOUT_SECONDS": 0}, ["1 to 60"]),
    ],
)
def test_an_incomplete_or_unsafe_provider_setting_refuses_to_start(override, messages):
    with pytest.raises(ConfigError) as refused:
        check_config({**GOOD, **OIDC, **override})
    for message in messages:
        assert message in str(refused.value)


def test_outside_production_a_provider_on_loopback_may_use_http():
    config = {**OIDC, "ENV": "development", "FIXED_TODAY": "", "OIDC_ISSUER": "http://127.0.0.1:8080",
              "BASE_URL": "http://127.0.0.1:5000"}
    check_config(config)
    with pytest.raises(ConfigError, match="must use https"):
        check_config({**config, "OIDC_ISSUER": "http://keycloak.internal:8080/realms/tz"})
