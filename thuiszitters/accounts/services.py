"""Account operations: passwords, users, scopes and API tokens. No request objects here."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from thuiszitters.accounts.common_passwords import is_common
from thuiszitters.accounts.models import ApiToken, User, with_scope
from thuiszitters.accounts.sessions import end_sessions
from thuiszitters.audit.services import ACTIVITY_ADMIN, diff, record
from thuiszitters.clock import now_utc
from thuiszitters.errors import InvalidParam, NotFound, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, clean_person_name, normalize_email
from thuiszitters.permissions import is_role, scope_problems
from thuiszitters.reference.models import Gemeente, Swv
from thuiszitters.text import utc_timestamp

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
TOKEN_PREFIX = "tz_"  # noqa: S105 - a prefix, not a secret


def _hasher() -> PasswordHasher:
    if current_app.config.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


# A fixed hash to verify against when the e-mail address is unknown, so both paths take the same time.
_DUMMY_HASH: dict[bool, str] = {}


def verify_password(user: User | None, password: str) -> bool:
    """Check a password; unknown users cost the same time as known ones."""
    hasher = _hasher()
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _DUMMY_HASH:
        _DUMMY_HASH[fast] = hasher.hash(secrets.token_hex(16))
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH[fast]
    try:
        ok = hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and user is not None and user.password_hash is not None


def password_problem(password: str) -> str | None:
    """A Dutch message when the password is too weak, else None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Een wachtwoord heeft hoogstens {MAX_PASSWORD_LENGTH} tekens."
    if is_common(password):
        return "Dit wachtwoord komt voor in lijsten van veelgebruikte wachtwoorden. Kies een ander."
    return None


@dataclass(frozen=True)
class UserInput:
    email: str
    name: str
    role: str
    swv_codes: tuple[str, ...] = ()
    gemeente_codes: tuple[str, ...] = ()
    active: bool = True


def find_user_by_email(email: str) -> User | None:
    try:
        address = normalize_email(email)
    except InvalidIdentifier:
        address = email.strip().lower()  # no stored address is invalid, so this finds nobody unless it is old data
    return db.session.scalar(select(User).where(func.lower(User.email) == address))


def _resolve_scope(swv_codes: Iterable[str], gemeente_codes: Iterable[str],
                   problems: list[InvalidParam]) -> tuple[list[Swv], list[Gemeente]]:
    swvs = []
    for code in swv_codes:
        swv = db.session.scalar(select(Swv).where(Swv.code == code))
        if swv is None:
            problems.append(InvalidParam("swvCodes", "unknown_swv", f"Onbekend samenwerkingsverband: {code}"))
        else:
            swvs.append(swv)
    gemeenten = []
    for code in gemeente_codes:
        gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
        if gemeente is None:
            problems.append(InvalidParam("gemeenteCodes", "unknown_gemeente", f"Onbekende gemeente: {code}"))
        else:
            gemeenten.append(gemeente)
    return swvs, gemeenten


@dataclass(frozen=True)
class _CheckedUser:
    email: str
    swvs: list[Swv]
    gemeenten: list[Gemeente]


def _check_user_input(data: UserInput, existing: User | None, password: str | None = None) -> _CheckedUser:
    """Every problem with the input at once (ValidationFailed): the e-mail address, the name, the role and its
    scope, the codes and the password (when one is given); returns what was normalised and looked up."""
    problems = []
    if not is_role(data.role):
        problems.append(InvalidParam("role", "unknown_role", f"Onbekende rol: {data.role}"))
    email = ""
    try:
        email = normalize_email(data.email)
    except InvalidIdentifier as exc:
        problems.append(InvalidParam("email", "invalid_email", exc.message))
    other = find_user_by_email(email) if email else None
    if other is not None and other is not existing:
        problems.append(InvalidParam("email", "duplicate_email", "Er is al een gebruiker met dit e-mailadres."))
    if not clean_person_name(data.name):
        problems.append(InvalidParam("name", "required", "Vul een naam in."))
    problems += scope_problems(data.role, data.swv_codes, data.gemeente_codes)
    swvs, gemeenten = _resolve_scope(data.swv_codes, data.gemeente_codes, problems)
    weak = password_problem(password) if password is not None else None
    if weak:
        problems.append(InvalidParam("password", "weak_password", weak))
    if problems:
        raise ValidationFailed(problems)
    return _CheckedUser(email, swvs, gemeenten)


def check_user(data: UserInput, password: str | None, *, existing: User | None = None) -> None:
    """Refuse (ValidationFailed, every problem at once) what `create_user` (or `update_user` of `existing` with
    `set_password`) would refuse; changes nothing. A form whose own checks failed calls this with what it could
    read, so its user sees every problem in one round."""
    _check_user_input(data, existing, password)


def create_user(data: UserInput, password: str | None, *, actor_id: int | None) -> User:
    checked = _check_user_input(data, None, password)
    email, swvs, gemeenten = checked.email, checked.swvs, checked.gemeenten
    user = User(
        email=email,
        name=clean_person_name(data.name),
        role=data.role,
        active=data.active,
        password_hash=hash_password(password) if password else None,
        created_at=now_utc(),
        swvs=swvs,
        gemeenten=gemeenten,
    )
    db.session.add(user)
    db.session.flush()
    record(
        "user.create",
        actor_id=actor_id,
        activity=ACTIVITY_ADMIN,
        object_type="user",
        object_id=user.id,
        changes={"role": [None, user.role], "swvs": [None, list(data.swv_codes)],
                 "gemeenten": [None, list(data.gemeente_codes)]},
    )
    return user


def update_user(user: User, data: UserInput, *, actor_id: int | None) -> User:
    checked = _check_user_input(data, user)
    email, swvs, gemeenten = checked.email, checked.swvs, checked.gemeenten
    before = {
        "email": user.email, "name": user.name, "role": user.role, "active": user.active,
        "swvs": [s.code for s in user.swvs], "gemeenten": [g.code for g in user.gemeenten],
    }
    scope_narrowed = (
        data.role != user.role
        or not set(before["swvs"]).issubset(data.swv_codes)
        or not set(before["gemeenten"]).issubset(data.gemeente_codes)
    )
    user.email = email
    user.name = clean_person_name(data.name)
    user.role = data.role
    user.swvs = swvs
    user.gemeenten = gemeenten
    if (user.active and not data.active) or scope_narrowed:
        # End the user's sessions so a removed right takes effect at once.
        user.session_epoch += 1
        end_sessions(user.id)
    user.active = data.active
    after = {
        "email": user.email, "name": user.name, "role": user.role, "active": user.active,
        "swvs": list(data.swv_codes), "gemeenten": list(data.gemeente_codes),
    }
    record("user.update", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id,
           changes=diff(before, after))
    db.session.flush()
    return user


def set_password(user: User, password: str, *, actor_id: int | None) -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationFailed([InvalidParam("password", "weak_password", problem)])
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    end_sessions(user.id)
    record("user.password", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id)
    db.session.flush()


def revoke_sessions(user: User, *, actor_id: int | None) -> int:
    """End every session of a user at once (stolen laptop, suspicion of misuse). Returns how many ended."""
    user.session_epoch += 1
    count = end_sessions(user.id)
    record("user.sessions_revoke", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user",
           object_id=user.id, changes={"sessions": [count, 0]})
    db.session.flush()
    return count


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_TOKEN_DAYS = 3 * 366


@dataclass(frozen=True)
class ApiIssued:
    """A new token, to show once, and when it stops working."""

    token: str
    expires_at: datetime


def issue_token(user: User, name: str = "cli", *, actor_id: int | None, days: int | None = None) -> ApiIssued:
    """Create a token valid for ``days`` (config API_TOKEN_DAYS by default); only its hash is kept."""
    days = int(current_app.config["API_TOKEN_DAYS"]) if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed([InvalidParam("days", "out_of_range",
                                             f"Een API-sleutel is 1 tot {MAX_TOKEN_DAYS} dagen geldig.")])
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now_utc()
    row = ApiToken(user=user, token_hash=_token_digest(token), prefix=token[:10], name=name[:100],
                   created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    record("token.issue", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id,
           changes={"expires_at": [None, utc_timestamp(row.expires_at)]})
    return ApiIssued(token, row.expires_at)


def revoke_token(user: User, token_id: int, *, actor_id: int | None) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        record("token.revoke", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="api_token",
               object_id=token.id)
    db.session.flush()


def user_for_token(token: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown, revoked, expired or deactivated one.

    The token, its user and the user's scope come in one query (every API request asks this first)."""
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _token_digest(token))
        .options(*with_scope(joinedload(ApiToken.user)))
    ).unique().first()
    now = now_utc()
    if row is None or not row.usable(now) or not row.user.active:
        return None
    # Write the last-use time at most once a minute: no write per request.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
        db.session.commit()
    return row.user
