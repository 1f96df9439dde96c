"""Configuration loading and the start-up checks that make a misconfigured production fail loudly."""
from __future__ import annotations

import ipaddress
import math
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from thuiszitters.clock import Clock, parse_fixed_today
from thuiszitters.escalation.terms import Terms
from thuiszitters.identifiers import InvalidIdentifier, normalize_email

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"

# THUISZITTERS_<NAME> environment variables that may override a setting, with their parser.
_ENV_SETTINGS: dict[str, type] = {
    "ENV": str,
    "SECRET_KEY": str,
    "FIXED_TODAY": str,
    "BASE_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_STARTTLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
    "MAIL_CA_FILE": str,
    "EXPORT_DIR": str,
    "INSPECTIE_KEY": str,
    "RETENTION_YEARS": int,
    "MFA_REQUIRED": bool,
    "MFA_ENROLMENT_MAIL_CODE": bool,
    "SESSION_COOKIE_SECURE": bool,
    "TRUSTED_PROXY_COUNT": int,
    "API_TOKEN_DAYS": int,
    "OIDC_ISSUER": str,
    "OIDC_CLIENT_ID": str,
    "OIDC_CLIENT_SECRET": str,
    "OIDC_LABEL": str,
    "OIDC_MFA_ACR": str,
    "OIDC_TIMEOUT_SECONDS": int,
    "LOG_LEVEL": str,
}

_DEV_SECRETS = {"SECRET_KEY": "dev-only-not-secret", "INSPECTIE_KEY": "dev-only-inspectie-key"}
SECRET_MIN_LENGTH = 32
# Estimated from the characters themselves: `openssl rand -hex 16` (128 real bits) scores 90 to 125, 48 random
# URL-safe bytes about 320; a key of one repeated character or short pattern scores next to nothing.
SECRET_MIN_ENTROPY_BITS = 80
SECRET_HOWTO = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105 - advice, not a secret


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _parse(kind: type, raw: str) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(raw)
    return raw


def load_config(app: Flask, overrides: dict[str, Any]) -> None:
    app.config.from_pyfile(str(CONFIG_DIR / "default.py"))
    env_name = overrides.get("ENV") or os.environ.get("THUISZITTERS_ENV", "")
    if env_name == "testing" or overrides.get("TESTING"):
        app.config.from_pyfile(str(CONFIG_DIR / "testing.py"))
    for name, kind in _ENV_SETTINGS.items():
        raw = os.environ.get(f"THUISZITTERS_{name}")
        if raw is not None:
            app.config[name] = _parse(kind, raw)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.update(overrides)

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{Path(app.instance_path) / 'thuiszitters.db'}"
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgresql"):
        # Short OLTP queries: PostgreSQL's JIT compiles the larger aggregates for tens of milliseconds and never
        # wins that back here. Off per connection, so no server setting is needed.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", "-c jit=off")
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config["EXPORT_DIR"]:
        app.config["EXPORT_DIR"] = str(Path(app.instance_path) / "exports")

    check_config(app.config)
    app.extensions["oidc_settings"] = oidc_settings(app.config)
    app.extensions["clock"] = Clock(fixed_today=parse_fixed_today(app.config["FIXED_TODAY"]))


def estimated_entropy_bits(value: str) -> float:
    """A rough upper bound of the randomness in a secret: its length times the Shannon entropy of its characters.

    "a" * 32 scores 0, "ab" * 16 scores 32, 64 URL-safe random characters about 340. A value that is one shorter
    piece repeated scores only as much as that piece, whatever its length.
    """
    if not value:
        return 0.0
    for size in range(1, len(value) // 2 + 1):
        if len(value) % size == 0 and value[:size] * (len(value) // size) == value:
            value = value[:size]
            break
    counts = Counter(value)
    per_char = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return max(0.0, per_char * len(value))


def secret_problem(name: str, value: str, dev_value: str) -> str | None:
    """Why the secret ``name`` is unfit for production, or None."""
    setting = f"THUISZITTERS_{name}"
    if not value or value == dev_value:
        return f"{setting} must be set to a random value of at least {SECRET_MIN_LENGTH} characters; {SECRET_HOWTO}"
    if len(value) < SECRET_MIN_LENGTH:
        return (f"{setting} is {len(value)} characters; it must be a random value of at least {SECRET_MIN_LENGTH} "
                f"characters; {SECRET_HOWTO}")
    bits = estimated_entropy_bits(value)
    if bits < SECRET_MIN_ENTROPY_BITS:
        return (f"{setting} is too predictable (about {bits:.0f} bits of randomness, at least "
                f"{SECRET_MIN_ENTROPY_BITS} needed: it repeats characters or a pattern); {SECRET_HOWTO}")
    return None


def check_config(config: dict[str, Any]) -> None:
    """Refuse to start production with development secrets, a pinned clock or plain-HTTP cookies."""
    if config["ENV"] not in {"development", "testing", "production"}:
        raise ConfigError(f"THUISZITTERS_ENV must be development, testing or production, not {config['ENV']!r}")
    parse_fixed_today(config["FIXED_TODAY"])
    oidc_settings(config)
    # The legal terms must fit together in every environment: a wrong one silently moves every deadline.
    term_problems = Terms.config_problems(config.get("TERMS") or {})
    if term_problems:
        raise ConfigError("; ".join(term_problems))
    if str(config.get("LOG_LEVEL") or "info").lower() not in {"debug", "info", "warning", "error"}:
        raise ConfigError(f"THUISZITTERS_LOG_LEVEL must be debug, info, warning or error, not {config['LOG_LEVEL']!r}")
    if config["ENV"] != "production":
        return
    problems = []
    for name, dev_value in _DEV_SECRETS.items():
        problem = secret_problem(name, str(config.get(name) or ""), dev_value)
        if problem:
            problems.append(problem)
    if config["FIXED_TODAY"]:
        problems.append("THUISZITTERS_FIXED_TODAY is not allowed in production")
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        problems.append("production runs on PostgreSQL: set DATABASE_URL")
    if not config.get("MAIL_SERVER"):
        problems.append("production sends reminders and enrolment codes by mail: set THUISZITTERS_MAIL_SERVER")
    try:
        normalize_email(str(config.get("MAIL_SENDER") or ""))
    except InvalidIdentifier as exc:
        problems.append(f"THUISZITTERS_MAIL_SENDER must be a valid e-mail address ({exc.code})")
    if problems:
        raise ConfigError("; ".join(problems))
    config["SESSION_COOKIE_SECURE"] = True
    # "__Host-": the browser sends it only over HTTPS, to this host, for the whole path; no subdomain can set it.
    config["SESSION_COOKIE_NAME"] = "__Host-session"
    config["MFA_REQUIRED"] = True
    config["MFA_ENROLMENT_MAIL_CODE"] = True


DEFAULT_OIDC_LABEL = "Inloggen via uw organisatie"
MAX_OIDC_LABEL_LENGTH = 60


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in through the organisation (OpenID Connect), checked once at start-up."""

    issuer: str
    client_id: str
    client_secret: str
    label: str
    # `acr` values that count as "the provider asked a second factor" (besides "mfa" in `amr`).
    mfa_acr: frozenset[str]
    timeout_seconds: int

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def oidc_settings(config: dict[str, Any]) -> OidcSettings | None:
    """The OIDC settings, None when none is set; ConfigError naming every problem when they are incomplete or unsafe.

    Production needs https for the issuer and for BASE_URL (the redirect URI); elsewhere plain http is allowed, for
    a provider on loopback in tests and development.
    """
    issuer = str(config.get("OIDC_ISSUER") or "").strip()
    client_id = str(config.get("OIDC_CLIENT_ID") or "").strip()
    client_secret = str(config.get("OIDC_CLIENT_SECRET") or "")
    if not (issuer or client_id or client_secret):
        return None
    production = config.get("ENV") == "production"
    problems = []
    for name, value in (("ISSUER", issuer), ("CLIENT_ID", client_id), ("CLIENT_SECRET", client_secret)):
        if not value:
            problems.append(f"THUISZITTERS_OIDC_{name} is required when sign-in through the organisation is set up")
    if issuer:
        parts = urlsplit(issuer)
        if parts.scheme not in {"https", "http"} or not parts.hostname or parts.query or parts.fragment:
            problems.append("THUISZITTERS_OIDC_ISSUER must be an absolute https URL without query or fragment")
        elif parts.scheme == "http" and (production or not _is_loopback(parts.hostname)):
            problems.append("THUISZITTERS_OIDC_ISSUER must use https (plain http only for a provider on loopback "
                            "outside production)")
    base_url = str(config.get("BASE_URL") or "").rstrip("/")
    if production and not base_url.startswith("https://"):
        problems.append("THUISZITTERS_BASE_URL must be an https URL: the provider sends users back to it")
    label = str(config.get("OIDC_LABEL") or "").strip() or DEFAULT_OIDC_LABEL
    if len(label) > MAX_OIDC_LABEL_LENGTH:
        problems.append(f"THUISZITTERS_OIDC_LABEL is at most {MAX_OIDC_LABEL_LENGTH} characters")
    timeout = config.get("OIDC_TIMEOUT_SECONDS", 10)
    if not isinstance(timeout, int) or not 1 <= timeout <= 60:
        problems.append("THUISZITTERS_OIDC_TIMEOUT_SECONDS must be a whole number from 1 to 60")
    if problems:
        raise ConfigError("; ".join(problems))
    return OidcSettings(
        issuer=issuer, client_id=client_id, client_secret=client_secret, label=label,
        mfa_acr=frozenset(str(config.get("OIDC_MFA_ACR") or "").split()), timeout_seconds=timeout,
    )
