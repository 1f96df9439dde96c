"""Thuiszitters: case tracking that gets every pupil who is out of school back into education."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from thuiszitters.settings import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, hooks. Starts no scheduler."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, overrides or {})

    from thuiszitters import extensions, logs, web

    logs.configure_logging(app)
    extensions.init_app(app)
    web.register_blueprints(app)
    web.register_hooks(app)

    from thuiszitters.cli import register_cli

    register_cli(app)
    return app
