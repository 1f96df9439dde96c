"""The web edge every area shares: request rules and security headers (`inputs`, `security`), the one translator
from exceptions to what the user sees (`errors`, with `problems` for the API), what templates may use
(`templating`), shared forms, safe redirect targets, and the start page and /healthz (`main`).

Low in the dependency order: every area's views may use it; it imports no area but `ops` (the heartbeat).
"""
from __future__ import annotations

from flask import Flask

from thuiszitters.http import errors, inputs, main, security, templating
from thuiszitters.http.inputs import App

__all__ = ["App", "init_app"]


def init_app(app: Flask) -> None:
    """After the areas' blueprints: the request checks (in this order), the headers, the templates, the errors."""
    inputs.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    app.register_blueprint(main.bp)
