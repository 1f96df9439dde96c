"""Structured logs: one JSON object per line, with request id, user id and case id, never personal data."""
from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user

_REQUEST_ID_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON. Only ids travel with it: names, BSNs and notes never reach the log."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["requestId"] = getattr(g, "request_id", None)
            user_id = getattr(g, "log_user_id", None)
            if user_id is None:
                user_id = _current_user_id()
            entry["userId"] = user_id
            entry["caseId"] = getattr(g, "case_id", None)
        for key in ("method", "endpoint", "status", "durationMs"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type only: messages and tracebacks can carry personal data from queries.
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)


def _current_user_id() -> int | None:
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # logging must never fail the request
        return None


LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("thuiszitters")
    root.handlers[:] = [handler]
    level = LOG_LEVELS[str(app.config.get("LOG_LEVEL") or "info").lower()]
    root.setLevel(level)
    root.propagate = False
    if level > logging.INFO:
        # Quiet (make run): also no line per request from the development server.
        logging.getLogger("werkzeug").setLevel(level)
    access = logging.getLogger("thuiszitters.access")

    def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        valid = 0 < len(incoming) <= 64 and set(incoming) <= _REQUEST_ID_OK
        g.request_id = incoming if valid else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    # Before every other hook (the CSRF check of the extensions too): every answer and log line has its request id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

    @app.after_request
    def _access_log(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if not app.testing and request.endpoint != "static":
            duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
            access.info("request", extra={"method": request.method, "endpoint": request.endpoint,
                                          "status": response.status_code, "durationMs": round(duration, 1)})
        return response
