"""Login throttling per account and per address, kept in the database so every worker sees the same counts.

An account here is the e-mail address as typed (lower-cased), whether or not a user has it: unknown addresses are
throttled exactly like known ones, so the answers never tell which addresses exist. Only keyed hashes are stored.

A login attempt is counted *before* its password or code is checked (`claim_attempt`), in one locked step with
the check of the count, and committed at once: guesses that reach several workers at the same moment get
exactly the allowed number of checks. An attempt that turns out right is taken off again.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from thuiszitters.accounts.models import LoginAttempt
from thuiszitters.extensions import db
from thuiszitters.ops.locks import LOGIN_THROTTLE, hold_write_lock

WINDOW = timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
THROTTLED_MESSAGE = "Te veel pogingen. Probeer het over enkele minuten opnieuw."


@dataclass(frozen=True)
class Keys:
    account: str
    address: str


def _keyed(kind: str, value: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def keys_for(email: str, address: str | None) -> Keys:
    return Keys(account=_keyed("account", email.strip().lower()), address=_keyed("address", address or "-"))


def is_throttled(keys: Keys, now: datetime) -> bool:
    """True when the account or the address had too many failures in the last WINDOW."""
    since = now - WINDOW
    account_failures = db.session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.account_key == keys.account, LoginAttempt.occurred_at > since)
    ) or 0
    if account_failures >= MAX_ACCOUNT_FAILURES:
        return True
    address_failures = db.session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.address_key == keys.address, LoginAttempt.occurred_at > since)
    ) or 0
    return address_failures >= MAX_ADDRESS_FAILURES


def claim_attempt(keys: Keys, kind: str, now: datetime) -> LoginAttempt | None:
    """Count this attempt before it is checked; None (nothing counted) when the account or address is throttled.

    Commits, like a claim must: the count has to be visible to every worker before the slow password check, and
    the lock that makes "check the count, then add one" a single step ends with the transaction. Call it before
    anything else in the request's transaction. A right password or code takes the attempt off again
    (`release_attempt`, or `clear_account` on a completed login).
    """
    hold_write_lock(db.session, LOGIN_THROTTLE)
    if is_throttled(keys, now):
        db.session.rollback()
        return None
    attempt = LoginAttempt(occurred_at=now, kind=kind, account_key=keys.account, address_key=keys.address)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def release_attempt(attempt: LoginAttempt) -> None:
    """The claimed attempt was right after all (a correct password before the second factor). Does not commit."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))


def record_failure(keys: Keys, kind: str, now: datetime) -> None:
    """Count a failed attempt. Does not commit."""
    db.session.add(LoginAttempt(occurred_at=now, kind=kind, account_key=keys.account, address_key=keys.address))
    db.session.flush()


def clear_account(keys: Keys) -> None:
    """A successful login wipes the account's failures (not the address's). Does not commit."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == keys.account))


def purge_old_attempts(now: datetime) -> int:
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.occurred_at < now - WINDOW))
    return int(result.rowcount or 0)
