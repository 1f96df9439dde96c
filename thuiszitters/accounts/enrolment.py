"""Proof of the mailbox before a first MFA enrolment.

A password alone must not be enough to bind an authenticator app to an account: whoever learned the initial
password before its owner logged in could otherwise enrol their own phone. With ``MFA_ENROLMENT_MAIL_CODE`` on
(always in production) the enrolment page also asks for a six-digit code sent to the user's e-mail address.

The code is never stored: the (server-side) session keeps an HMAC of it, when it was sent and how many wrong tries
there were. It expires after ``CODE_SECONDS``, dies after ``MAX_TRIES`` wrong tries, and a new one can be asked for
once per ``RESEND_SECONDS``. The mail goes through the outbox like every other mail.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from flask import current_app

from thuiszitters.accounts.models import User
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage

CODE_SECONDS = 30 * 60
RESEND_SECONDS = 60
MAX_TRIES = 5


def _digest(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"mfa-enrolment:" + code.encode(), hashlib.sha256).hexdigest()


def masked_address(email: str) -> str:
    """Enough of the address to recognise it: "c…1@example.nl"."""
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        return f"{local[:1]}…@{domain}"
    return f"{local[0]}…{local[-1]}@{domain}"


def usable(state: Any, now: datetime) -> bool:
    """Whether the session holds a code that can still be tried."""
    return (isinstance(state, dict) and isinstance(state.get("digest"), str)
            and now.timestamp() - float(state.get("sent_at", 0)) <= CODE_SECONDS
            and int(state.get("tries", 0)) < MAX_TRIES)


def may_resend(state: Any, now: datetime) -> bool:
    return not isinstance(state, dict) or now.timestamp() - float(state.get("sent_at", 0)) >= RESEND_SECONDS


def issue_code(user: User, *, real_now: datetime, outbox_now: datetime) -> dict[str, Any]:
    """Queue a mail with a new code for ``user``; returns the state to keep in the session. Does not commit.

    ``real_now`` times the code (the user's real minutes); ``outbox_now`` is the app clock the outbox runs on.
    """
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = CODE_SECONDS // 60
    body = "\n".join([
        "Beste collega,",
        "",
        f"Uw code om tweestapsverificatie voor Thuiszitters in te stellen is: {code}",
        "",
        f"De code is {minutes} minuten geldig. Heeft u dit niet zelf aangevraagd? Meld het dan direct bij de "
        "functioneel beheerder: iemand anders kent misschien uw wachtwoord.",
        "",
        "Thuiszitters",
    ])
    db.session.add(OutboxMessage(recipient=user.email, subject="[Thuiszitters] Uw code voor tweestapsverificatie",
                                 body=body, status="pending", attempts=0, next_attempt_at=outbox_now,
                                 created_at=outbox_now))
    record("user.mfa_mail_code", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id)
    db.session.flush()
    return {"digest": _digest(code), "sent_at": real_now.timestamp(), "tries": 0}


def check_code(state: Any, code: str, now: datetime) -> tuple[Any, str | None]:
    """Check the code from the mail: (the state to store back, None) when right, (state, Dutch message) when not.

    A wrong try is counted in the returned state, so the caller must store it back in the session.
    """
    if not usable(state, now):
        return state, "Deze code is verlopen of te vaak fout ingevuld. Vraag een nieuwe code aan."
    if hmac.compare_digest(_digest(code.strip()), state["digest"]):
        return state, None
    state = {**state, "tries": int(state.get("tries", 0)) + 1}
    left = MAX_TRIES - state["tries"]
    message = "De code uit de e-mail klopt niet."
    message += f" U kunt het nog {left} keer proberen." if left > 0 else " Vraag een nieuwe code aan."
    return state, message
