"""A real OpenID Provider for the tests: panva's oidc-provider (tests/oidc_provider/server.mjs) run with Node.

The provider runs once per test session on a free loopback port; every test resets it (fresh key, clients and
accounts). `ProviderBrowser` plays the person's browser at the provider: it follows the redirects and fills in the
provider's login form, and hands back the callback URL that the browser would open at the app.

Needs Node.js and `npm ci --prefix tests/oidc_provider`. Without them the tests that use the provider skip, except
in CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

NODE_DIR = Path(__file__).resolve().parent / "oidc_provider"
APP_BASE = "http://thuiszitters.test"  # config/testing.py BASE_URL
CLIENT_ID = "thuiszitters"
CLIENT_SECRET = "test-client-secret-of-thuiszitters-0123456789"
OTHER_CLIENT_ID = "andere-app"
MFA_ACR = "urn:test:loa:2"


def _client_registration(client_id: str, bases: list[str]) -> dict[str, Any]:
    return {
        "client_id": client_id, "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{base}/login/oidc/callback" for base in bases],
        "post_logout_redirect_uris": [f"{base}/login" for base in bases],
    }


def account(sub: str, email: str | None, *, verified: Any = True, name: str = "Test Persoon") -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": sub, "name": name}
    if email is not None:
        claims["email"] = email
    if verified is not None:
        claims["email_verified"] = verified
    return claims


class TestProvider:
    """The control interface of the running provider."""

    __test__ = False  # not a test class

    def __init__(self, port: int) -> None:
        self.issuer = f"http://127.0.0.1:{port}"

    def _post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = requests.post(f"{self.issuer}/_test/{path}", json=body or {}, timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self, accounts: dict[str, dict[str, Any]], *, bases: list[str] | None = None,
              logout: bool = True) -> None:
        bases = bases or [APP_BASE]
        clients = [_client_registration(CLIENT_ID, bases), _client_registration(OTHER_CLIENT_ID, bases)]
        self._post("reset", {"clients": clients, "accounts": accounts, "logout": logout})

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        self._post("accounts", {"accounts": accounts})

    def rotate_keys(self) -> str:
        return self._post("rotate")["kid"]

    def hang(self, milliseconds: int) -> None:
        self._post("hang", {"ms": milliseconds})

    def substitute_next_token(self, **change: Any) -> None:
        self._post("substitute", change)

    def stats(self) -> dict[str, int]:
        return requests.get(f"{self.issuer}/_test/stats", timeout=10).json()

    def app_settings(self, **extra: Any) -> dict[str, Any]:
        """The app's OIDC settings for this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_MFA_ACR": MFA_ACR, "OIDC_TIMEOUT_SECONDS": 2, "OIDC_LABEL": "Inloggen met Testorganisatie",
                **extra}


def _skip_or_fail(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must install Node.js and run `npm ci --prefix tests/oidc_provider`")
    pytest.skip(message)


def run_provider() -> Iterator[TestProvider]:
    """Start the Node provider and stop it afterwards (the body of the session fixture)."""
    node = shutil.which("node")
    if node is None:
        _skip_or_fail("Node.js is not installed")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        _skip_or_fail("the test provider's packages are missing: run `npm ci --prefix tests/oidc_provider`")
    process = subprocess.Popen([node, "server.mjs"], cwd=NODE_DIR, env={**os.environ, "PORT": "0"},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(_first_listening_line(process)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if not first_line or not first_line[0].startswith("listening "):
        process.kill()
        pytest.fail(f"the test provider did not start: {first_line}")
    # Keep draining its output so a chatty provider never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()
    try:
        yield TestProvider(int(first_line[0].split()[1]))
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def _first_listening_line(process: subprocess.Popen) -> str:
    for line in process.stdout or ():
        if line.startswith("listening "):
            return line.strip()
    return ""


class ProviderBrowser:
    """The person's browser at the provider: cookies, redirects, the login form."""

    def __init__(self, app_base: str = APP_BASE) -> None:
        self.http = requests.Session()
        self.app_base = app_base

    def authorize(self, authorization_url: str, login: str = "", *, amr: str = "pwd", mfa: bool = False,
                  acr: str = "", cancel: bool = False) -> str:
        """Follow the authorization request to the point where the provider sends the browser back to the app;
        returns that callback URL as a path with query (for the Flask test client)."""
        response = self.http.get(authorization_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.status_code in (302, 303):
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(self.app_base):
                    parts = urlsplit(location)
                    return urlunsplit(("", "", parts.path, parts.query, ""))
                response = self.http.get(location, allow_redirects=False, timeout=10)
            elif response.status_code == 200 and "/interaction/" in response.url:
                form = {"login": login, "amr": amr, "acr": acr}
                if mfa:
                    form["mfa"] = "1"
                if cancel:
                    form["cancel"] = "1"
                response = self.http.post(f"{response.url}/login", data=form, allow_redirects=False, timeout=10)
            else:
                raise AssertionError(f"unexpected answer from the provider: {response.status_code} {response.url}")
        raise AssertionError("too many redirects at the provider")

    def needs_login(self, authorization_url: str) -> bool:
        """Whether the provider asks for a login again (False: it still has a session and answers at once)."""
        response = self.http.get(authorization_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.status_code not in (302, 303):
                return "/interaction/" in response.url
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(self.app_base):
                return False
            response = self.http.get(location, allow_redirects=False, timeout=10)
        raise AssertionError("too many redirects at the provider")

    def sign_out(self, end_session_url: str) -> str:
        """Open the provider's end-session URL and confirm; returns where the provider sends the browser."""
        page = self.http.get(end_session_url, timeout=10)
        assert page.status_code == 200, page.text
        action = page.text.split('action="', 1)[1].split('"', 1)[0]
        xsrf = page.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
        done = self.http.post(urljoin(page.url, action), data={"xsrf": xsrf, "logout": "yes"},
                              allow_redirects=False, timeout=10)
        assert done.status_code in (302, 303), done.text
        return urljoin(done.url, done.headers["Location"])


def with_param(url: str, **changes: str) -> str:
    """The URL with some query parameters replaced (to tamper with an authorization request or a callback)."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
