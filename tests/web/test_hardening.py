"""Hardening that holds for the whole app: strict CSP templates, escaping, the password policy."""
import re
from pathlib import Path

from sqlalchemy import select

from tests import factories
from thuiszitters.accounts.models import User
from thuiszitters.extensions import db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_no_template_holds_inline_script_style_or_event_handlers():
    """The CSP allows no inline script or style; a template that needs one would break in the browser."""
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline script", INLINE_SCRIPT), ("inline style", INLINE_STYLE),
                              ("event handler", EVENT_HANDLER), ("javascript: url", JS_URL)):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {name}")
    assert offenders == []


def test_the_csp_is_strict(app, client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp


HOSTILE = "<script>alert('x')</script>\" onmouseover=\"x' OR '1'='1'; DROP TABLE user_account;--"


def test_html_and_sql_metacharacters_come_back_escaped(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": token, "email": "hostile@example.nl", "name": HOSTILE, "role": "inspectie",
        "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 302
    stored = db.session.scalar(select(User.name).where(User.email == "hostile@example.nl"))
    assert stored == HOSTILE.strip()  # stored as typed: parameters, not string-built SQL
    html = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert 'onmouseover="x' not in html


def test_a_hostile_login_address_is_echoed_escaped(app, client):
    from tests.conftest import csrf_from

    page = client.get("/login")
    response = client.post("/login", data={"email": HOSTILE, "password": "x" * 12,
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 400
    assert "<script>alert" not in response.get_data(as_text=True)


def test_admin_cannot_set_a_short_or_common_password(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    base = {"csrf_token": token, "email": "pw@example.nl", "name": "Pw", "role": "inspectie"}
    short = client.post("/beheer/gebruikers/nieuw", data={**base, "password": "kort-11-tkn"})
    assert short.status_code == 400 and "minstens 12 tekens" in short.get_data(as_text=True)
    common = client.post("/beheer/gebruikers/nieuw", data={**base, "password": "Wachtwoord2024!"})
    assert common.status_code == 400 and "veelgebruikte wachtwoorden" in common.get_data(as_text=True)
    too_long = client.post("/beheer/gebruikers/nieuw", data={**base, "password": "a-b" * 43})
    assert too_long.status_code == 400
    assert db.session.scalar(select(User).where(User.email == "pw@example.nl")) is None


def test_the_cli_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["users", "create", "x@example.nl", "--role", "inspectie"], input="welkom123\n")
    assert result.exit_code == 1
    assert "minstens 12 tekens" in result.output
