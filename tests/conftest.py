"""Shared fixtures: one migrated database per test session, emptied after every test.

The schema is built by `flask db upgrade` (so the migrations themselves are tested). Data is removed after
each test rather than rolled back, because several tests need committed data: other processes (scheduler
sweeps, a served app for the browser) must see it.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from thuiszitters import create_app
from thuiszitters.extensions import db


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    if url.startswith("postgres"):
        # Start from an empty schema so a previous run leaves nothing behind.
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app_overrides() -> dict:
    """Extra settings for the `app` fixture; a test module overrides this fixture to configure its app."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_overrides: dict) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "EXPORT_DIR": str(tmp_path / "exports"), **app_overrides})
    with app.app_context():
        yield app
        db.session.remove()
        _empty_database()
        db.engine.dispose()


def _empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test's app served on a free loopback port in a thread; each request gets its own app context."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def clock(app: Flask):
    """The app's clock, pinned by config/testing.py; tests set their own dates with clock.set_today()."""
    return app.extensions["clock"]


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test itself holds an app context for its factories; without this, requests would share the test's
    `g` and database session and hide bugs that real requests would hit.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = "correct-horse-battery-9"):
        page = self.client.get("/login")
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": csrf_from(page.get_data(as_text=True))})

    def csrf(self, path: str) -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def logout(self):
        token = self.csrf("/toegankelijkheid")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def today(clock) -> date:
    return clock.today()


@pytest.fixture(scope="session")
def oidc_process():
    """A real OpenID Provider (Node, tests/oidc_provider) for the whole session; skips without Node (not in CI)."""
    from tests.oidc import run_provider

    yield from run_provider()


@pytest.fixture
def provider(oidc_process):
    """The provider, reset for this test: a new signing key, the app's client registered, no accounts yet."""
    oidc_process.reset({})
    return oidc_process
