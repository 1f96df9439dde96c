"""Second factor: TOTP (RFC 6238) with replay protection, and single-use recovery codes stored hashed.

The secret is written to the user only once a first code from the authenticator app proves it was scanned. Codes
are checked against the real clock (`real_now_utc`), never a pinned demo day: the user's phone knows no such thing.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import secrets
from datetime import datetime

import pyotp
import segno

from thuiszitters.accounts.models import User
from thuiszitters.accounts.sessions import end_sessions
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.errors import InvalidParam, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.parsing import ascii_digits

ISSUER = "Thuiszitters"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to type from paper
# Accept the code of the previous and the next 30-second step too: phones drift.
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI, so the page needs no inline script and no extra request."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=4, light="#fff", xmldecl=False,
                                    svgns=True, title="QR-code voor uw authenticator-app")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _normalise_code(code: str) -> str:
    # ASCII letters and digits only: "²" is alphanumeric to Python, and hmac.compare_digest refuses non-ASCII text
    # with a TypeError (a 500 for a typed code).
    return "".join(ch for ch in code.lower() if ch.isascii() and ch.isalnum())


def matching_counter(secret: str, code: str, now: datetime, last_counter: int | None) -> int | None:
    """The time step a code belongs to, if it is valid now and newer than the last one used (no replay)."""
    code = _normalise_code(code)
    if len(code) != 6 or not ascii_digits(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for counter in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_counter is not None and counter <= last_counter:
            continue
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def _hash_recovery_code(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{_normalise_code(code)}".encode()).hexdigest()


def _new_recovery_codes() -> tuple[list[str], str]:
    """Ten fresh codes (shown once) and their stored form: a JSON list of "salt$sha256"."""
    plain = []
    stored = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        salt = secrets.token_hex(8)
        plain.append(code)
        stored.append(f"{salt}${_hash_recovery_code(code, salt)}")
    return plain, json.dumps(stored)


def remaining_recovery_codes(user: User) -> int:
    return len(json.loads(user.recovery_codes)) if user.recovery_codes else 0


def _use_recovery_code(user: User, code: str) -> bool:
    if not user.recovery_codes:
        return False
    stored: list[str] = json.loads(user.recovery_codes)
    match = None
    for entry in stored:  # check all of them: the time taken does not depend on which one matched
        salt, _, digest = entry.partition("$")
        if hmac.compare_digest(_hash_recovery_code(code, salt), digest):
            match = entry
    if match is None:
        return False
    stored.remove(match)
    user.recovery_codes = json.dumps(stored)
    return True


def enable_mfa(user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Switch MFA on once a first code proves the app holds the secret. Returns the recovery codes (show once)."""
    counter = matching_counter(secret, code, now, None)
    if counter is None:
        raise ValidationFailed([InvalidParam("code", "wrong_code",
                                             "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer "
                                             "de nieuwste code.")])
    plain, stored = _new_recovery_codes()
    user.totp_secret = secret
    user.totp_last_counter = counter
    user.recovery_codes = stored
    record("user.mfa_enable", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id)
    db.session.flush()
    return plain


def verify_second_factor(user: User, code: str, now: datetime) -> str | None:
    """"totp" or "recovery" when the code is accepted (and then used up), else None. Does not commit."""
    if not user.totp_secret:
        return None
    counter = matching_counter(user.totp_secret, code, now, user.totp_last_counter)
    if counter is not None:
        user.totp_last_counter = counter
        db.session.flush()
        return "totp"
    if _use_recovery_code(user, code):
        record("user.mfa_recovery_code_used", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user",
               object_id=user.id, changes={"remaining": [None, remaining_recovery_codes(user)]})
        db.session.flush()
        return "recovery"
    return None


def regenerate_recovery_codes(user: User) -> list[str]:
    plain, stored = _new_recovery_codes()
    user.recovery_codes = stored
    record("user.mfa_recovery_codes_renewed", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user",
           object_id=user.id)
    db.session.flush()
    return plain


def reset_mfa(user: User, *, actor_id: int | None) -> None:
    """Admin: the user lost the phone and the codes. The next login enrols again; all sessions end."""
    user.totp_secret = None
    user.totp_last_counter = None
    user.recovery_codes = None
    user.session_epoch += 1
    end_sessions(user.id)
    record("user.mfa_reset", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id)
    db.session.flush()
