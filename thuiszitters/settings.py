"""Configuration loading and the start-up checks that make a misconfigured production fail loudly."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from thuiszitters.clock import Clock, parse_fixed_today

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
}

_DEV_SECRETS = {"SECRET_KEY": "dev-only-not-secret", "INSPECTIE_KEY": "dev-only-inspectie-key"}


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
    app.extensions["clock"] = Clock(fixed_today=parse_fixed_today(app.config["FIXED_TODAY"]))


def check_config(config: dict[str, Any]) -> None:
    """Refuse to start production with development secrets, a pinned clock or plain-HTTP cookies."""
    if config["ENV"] not in {"development", "testing", "production"}:
        raise ConfigError(f"THUISZITTERS_ENV must be development, testing or production, not {config['ENV']!r}")
    parse_fixed_today(config["FIXED_TODAY"])
    if config["ENV"] != "production":
        return
    problems = []
    for name, dev_value in _DEV_SECRETS.items():
        value = config.get(name) or ""
        if value == dev_value or len(value) < 32:
            problems.append(f"THUISZITTERS_{name} must be set to a random value of at least 32 characters")
    if config["FIXED_TODAY"]:
        problems.append("THUISZITTERS_FIXED_TODAY is not allowed in production")
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        problems.append("production runs on PostgreSQL: set DATABASE_URL")
    if not config.get("MAIL_SERVER"):
        problems.append("production sends reminders and enrolment codes by mail: set THUISZITTERS_MAIL_SERVER")
    if problems:
        raise ConfigError("; ".join(problems))
    config["SESSION_COOKIE_SECURE"] = True
    # "__Host-": the browser sends it only over HTTPS, to this host, for the whole path; no subdomain can set it.
    config["SESSION_COOKIE_NAME"] = "__Host-session"
    config["MFA_REQUIRED"] = True
    config["MFA_ENROLMENT_MAIL_CODE"] = True
