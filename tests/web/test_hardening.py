"""Hardening that holds for the whole app: strict CSP templates, escaping, the password policy."""
import re
from pathlib import Path

from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
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


def _submit(client, path: str, data: dict):
    """Post a form as a browser does: CSRF token and case version taken from the form page."""
    page = client.get(path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = re.search(r'name="version"[^>]*value="(\d*)"', page)
    if version:
        fields["version"] = version.group(1)
    return client.post(path, data={**fields, **data})


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html and 'onmouseover="x' not in html
    assert "&lt;script&gt;alert(" in html


def test_metacharacters_in_every_case_text_field_are_stored_as_typed_and_shown_escaped(app, auth, client):
    from datetime import date

    from thuiszitters.alerts.models import Alert
    from thuiszitters.cases.models import Case, Pupil, Step
    from thuiszitters.reminders.services import send_due_reminders

    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    first, last = HOSTILE[:60], HOSTILE[60:] + "<b>"
    response = _submit(client, "/casussen/nieuw", {
        "first_name": first, "last_name": last, "date_of_birth": "12-05-2013", "bsn": "", "swv_code": "PO 27-01",
        "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
        "out_of_school_since": "01-06-2026", "note": HOSTILE})
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert _submit(client, f"/casussen/{case_id}/stappen/nieuw/swv_inzet", {
        "started_on": "02-07-2026", "action": "arrangement", "description": HOSTILE,
        "out_of_order_reason": HOSTILE}).status_code == 302
    assert _submit(client, f"/casussen/{case_id}/sluiten", {
        # "overig" is no passend aanbod: it records the closing date only (issue 16).
        "outcome": "overig", "closed_on": "02-11-2026", "school_brin": "", "note": HOSTILE}).status_code == 302
    assert _submit(client, f"/casussen/{case_id}/heropenen", {"reason": HOSTILE}).status_code == 302

    pupil = db.session.scalar(select(Pupil).join(Case).where(Case.id == case_id))
    step = db.session.scalar(select(Step).where(Step.case_id == case_id))
    assert (pupil.first_name, pupil.last_name, step.description) == (first.strip(), last.strip(), HOSTILE.strip())

    for path in (f"/casussen/{case_id}", "/casussen", "/casussen?status=open", f"/casussen/{case_id}/bewerken"):
        _assert_escaped(client.get(path).get_data(as_text=True))

    # The leerplicht's queue shows the pupil; the note of an acknowledgement comes back escaped in the history.
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    alert = db.session.scalar(select(Alert).where(Alert.case_id == case_id))
    auth.logout()
    auth.login("lp1@example.nl")
    queue = client.get("/signalen").get_data(as_text=True)
    _assert_escaped(queue)
    client.post(f"/signalen/{alert.id}/afhandelen", data={"csrf_token": csrf_from(queue), "note": HOSTILE})
    _assert_escaped(client.get("/signalen/afgehandeld").get_data(as_text=True))
    _assert_escaped(client.get(f"/casussen/{case_id}").get_data(as_text=True))
