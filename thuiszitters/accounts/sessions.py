"""Server-side sessions: the cookie holds a random token, the database holds the session.

Why not Flask's signed-cookie session: a cookie cannot be revoked. Here logout deletes the row, an admin can end
every session of a user, and the idle (SESSION_IDLE_MINUTES) and absolute (PERMANENT_SESSION_LIFETIME) timeouts
are enforced on the server. Login calls `regenerate()` so a session id known before login is worthless after it.
`load_user` is Flask-Login's way from the session back to the user.

A session is read through the request's ORM session, together with its user and the user's scope in one query
(on PostgreSQL every round trip counts): `load_user` then finds the user in the identity map. Rows are written
(and an expired one deleted) through their own connection: the view's transaction (committed or not) stays the
view's business, and a failed request can neither lose nor commit half a session.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, g
from flask.sessions import SessionInterface, SessionMixin, session_json_serializer
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import CallbackDict

from thuiszitters.accounts.models import User, UserSession, with_scope
from thuiszitters.clock import real_now_utc
from thuiszitters.extensions import db, login_manager
from thuiszitters.parsing import record_id

log = logging.getLogger(__name__)

# Write last_seen_at at most this often: no database write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)

_table = UserSession.__table__


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """The session dict. `modified` is set by any change; `regenerate()` asks for a new id at save time."""

    def __init__(self, initial: dict[str, Any] | None = None, *, token: str | None = None,
                 last_seen_at: datetime | None = None, expired: bool = False, unavailable: bool = False,
                 user: User | None = None) -> None:
        def on_update(_self: CallbackDict) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.last_seen_at = last_seen_at
        self.expired = expired
        self.unavailable = unavailable
        # The user the row names, loaded with it; held here because the identity map keeps only weak references.
        self.user = user
        self.modified = False
        self.regenerate_requested = False

    def regenerate(self) -> None:
        """Issue a new session id when this response is sent; the old one stops working."""
        self.regenerate_requested = True
        self.modified = True


def _sessionless(app: Flask, request: Request) -> bool:
    """Static files and the API (bearer tokens, never cookies) need no session: no database round trip."""
    path = request.path
    return path.startswith(f"{app.static_url_path}/") or path.startswith("/api/")


def _user_id(session: ServerSession) -> int | None:
    # Flask-Login stores User.get_id(), which is "id:epoch".
    raw = str(session.get("_user_id") or "")
    user_id = raw.partition(":")[0]
    return record_id(user_id)


def idle_timeout(app: Flask) -> timedelta:
    return timedelta(minutes=int(app.config["SESSION_IDLE_MINUTES"]))


class DatabaseSessionInterface(SessionInterface):
    serializer = session_json_serializer

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > 100 or _sessionless(app, request):
            return ServerSession()
        try:
            return self._load(app, token)
        except SQLAlchemyError:
            # Database down: carry on without a session (pages needing one refuse, /healthz can answer 503).
            log.warning("session store unreachable")
            return ServerSession(unavailable=True)

    def _load(self, app: Flask, token: str) -> ServerSession:
        try:
            row = db.session.execute(
                select(_table.c.id, _table.c.data, _table.c.created_at, _table.c.last_seen_at, User)
                .outerjoin(User, User.id == _table.c.user_id)
                .where(_table.c.token_hash == token_hash(token))
                .options(*with_scope())
            ).unique().first()
        except SQLAlchemyError:
            db.session.rollback()
            raise
        if row is None:
            return ServerSession(expired=True)
        now = real_now_utc()
        created_at = _aware(row.created_at)
        last_seen_at = _aware(row.last_seen_at)
        if now - last_seen_at > idle_timeout(app) or now - created_at > app.permanent_session_lifetime:
            with db.engine.begin() as conn:
                conn.execute(delete(_table).where(_table.c.id == row.id))
            return ServerSession(expired=True)
        try:
            data = self.serializer.loads(row.data)
        except ValueError:
            data = {}
        return ServerSession(data, token=token, last_seen_at=last_seen_at, user=row.User)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if session.unavailable:
            return
        try:
            self._save(app, session, response)
        except SQLAlchemyError:
            log.warning("session store unreachable; session not saved")

    def _save(self, app: Flask, session: ServerSession, response: Response) -> None:
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        now = real_now_utc()
        with db.engine.begin() as conn:
            if session.token and (session.regenerate_requested or not session):
                conn.execute(delete(_table).where(_table.c.token_hash == token_hash(session.token)))
                session.token = None
                if not session:
                    response.delete_cookie(name, domain=domain, path=path,
                                           secure=self.get_cookie_secure(app),
                                           httponly=self.get_cookie_httponly(app),
                                           samesite=self.get_cookie_samesite(app))
                    return
            if not session:
                if session.expired:
                    response.delete_cookie(name, domain=domain, path=path)
                return  # nothing to keep: no row, no cookie
            if session.token is None:
                session.token = secrets.token_urlsafe(32)
                conn.execute(insert(_table).values(
                    token_hash=token_hash(session.token), user_id=_user_id(session),
                    data=self.serializer.dumps(dict(session)), created_at=now, last_seen_at=now,
                ))
                # A browser-session cookie: it has no expiry date of its own, the server decides.
                response.set_cookie(
                    name, session.token, domain=domain, path=path,
                    secure=self.get_cookie_secure(app), httponly=self.get_cookie_httponly(app),
                    samesite=self.get_cookie_samesite(app),
                )
                response.vary.add("Cookie")
            elif session.modified:
                conn.execute(update(_table).where(_table.c.token_hash == token_hash(session.token)).values(
                    data=self.serializer.dumps(dict(session)), user_id=_user_id(session), last_seen_at=now,
                ))
            elif session.last_seen_at is None or now - session.last_seen_at > TOUCH_INTERVAL:
                conn.execute(update(_table).where(_table.c.token_hash == token_hash(session.token))
                             .values(last_seen_at=now))


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def end_sessions(user_id: int) -> int:
    """Delete every session of a user (in the caller's transaction). Returns how many there were."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(result.rowcount or 0)


def purge_expired_sessions(app: Flask, now: datetime) -> int:
    """Delete sessions past their idle or absolute timeout (they are refused anyway; this keeps the table small)."""
    cutoff_idle = now - idle_timeout(app)
    cutoff_absolute = now - app.permanent_session_lifetime
    result = db.session.execute(
        delete(UserSession).where((UserSession.last_seen_at < cutoff_idle) | (UserSession.created_at < cutoff_absolute))
    )
    return int(result.rowcount or 0)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session's "id:epoch" (User.get_id); None ends the session's login. The session's own query
    loaded that user already (`DatabaseSessionInterface._load`): ``get`` finds it in the identity map."""
    user_id, _, epoch = session_id.partition(":")
    user = db.session.get(User, key) if (key := record_id(user_id)) is not None else None
    # A bumped epoch (deactivation, password or scope change) ends every existing session.
    if user is None or not user.active or str(user.session_epoch) != epoch:
        return None
    # The access log names the user by this id: after the request commits, asking the expired user object for it
    # would load the row again.
    g.log_user_id = user.id
    return user
