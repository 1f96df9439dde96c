"""A first MFA enrolment needs the code mailed to the user: a known password alone cannot bind a phone."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from tests import factories
from tests.conftest import csrf_from
from tests.smtp_server import SmtpServer
from thuiszitters.accounts import enrolment
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.delivery import deliver_outbox


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(server.config(), MFA_ENROLMENT_MAIL_CODE=True, MFA_REQUIRED=True)
    yield server
    server.stop()


def _mailed_code(smtp) -> str:
    deliver_outbox(now_utc())
    messages = smtp.inbox.take()
    assert [m["X-Envelope-To"] for m in messages] == ["coord1@example.nl"]
    return re.search(r"is: (\d{6})", messages[0].get_content()).group(1)


def _setup_page(client) -> tuple[str, str]:
    html = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    return html, html.split('class="secret">')[1].split("<")[0]


def test_the_phone_is_bound_only_with_the_code_from_the_mailbox(app, auth, client, smtp):
    w = factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    html, secret = _setup_page(client)
    assert "c…1@example.nl" in html and "Code uit de e-mail" in html
    code = _mailed_code(smtp)
    assert code not in str(db.session.execute(db.text("SELECT data FROM user_session")).all())  # only an HMAC

    # Someone who knows the password but not the mailbox: the right app code is not enough.
    for guess in ("000000", "123456"):
        wrong = client.post("/account/tweestapsverificatie", data={
            "csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now(), "mail_code": guess})
        assert wrong.status_code == 400 and "De code uit de e-mail klopt niet." in wrong.get_data(as_text=True)
    db.session.refresh(w.coordinator)
    assert w.coordinator.totp_secret is None

    done = client.post("/account/tweestapsverificatie", data={
        "csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now(), "mail_code": code})
    assert done.status_code == 200 and "alleen nu" in done.get_data(as_text=True)
    db.session.refresh(w.coordinator)
    assert w.coordinator.totp_secret == secret
    assert client.get("/casussen").status_code == 200  # enrolled: the app is open


def test_wrong_codes_are_throttled_and_a_new_code_comes_at_most_once_a_minute(app, auth, client, smtp):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    html, secret = _setup_page(client)
    code = _mailed_code(smtp)
    for _ in range(enrolment.MAX_TRIES):
        client.post("/account/tweestapsverificatie", data={
            "csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now(), "mail_code": "999999"})
    # Five wrong codes: the account is throttled like after five wrong passwords, and that code is dead anyway.
    late = client.post("/account/tweestapsverificatie", data={
        "csrf_token": csrf_from(html), "code": pyotp.TOTP(secret).now(), "mail_code": code})
    assert late.status_code == 429 and "Te veel pogingen" in late.get_data(as_text=True)

    again = client.post("/account/tweestapsverificatie/nieuwe-code", data={"csrf_token": csrf_from(html)},
                        follow_redirects=True)
    assert "Wacht een minuut" in again.get_data(as_text=True)
    assert smtp.inbox.take() == []


def test_an_expired_or_much_tried_code_is_refused():
    state = {"digest": "x", "sent_at": now_utc().timestamp(), "tries": 0}
    later = now_utc() + timedelta(seconds=enrolment.CODE_SECONDS + 1)
    assert enrolment.usable(state, now_utc()) and not enrolment.usable(state, later)
    _state, error = enrolment.check_code({**state, "tries": enrolment.MAX_TRIES}, "123456", now_utc())
    assert error == "Deze code is verlopen of te vaak fout ingevuld. Vraag een nieuwe code aan."
    assert enrolment.masked_address("coord1@example.nl") == "c…1@example.nl"
