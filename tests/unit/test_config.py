"""Start-up checks: production refuses development secrets and a pinned clock."""
import pytest

from thuiszitters.settings import DEFAULT_OIDC_LABEL, ConfigError, check_config, oidc_settings

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
