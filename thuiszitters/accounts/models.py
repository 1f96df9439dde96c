"""Users with a role and a scope (swv's and/or gemeenten), their API tokens and their identity at the provider."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from thuiszitters.extensions import UTCDateTime, db
from thuiszitters.permissions import ROLE_LABELS
from thuiszitters.reference.models import Gemeente, Swv

user_swv = Table(
    "user_swv",
    db.metadata,
    Column("user_id", Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("swv_id", Integer, ForeignKey("swv.id", ondelete="CASCADE"), primary_key=True, index=True),
)

user_gemeente = Table(
    "user_gemeente",
    db.metadata,
    Column("user_id", Integer, ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("gemeente_id", Integer, ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # a permissions.Role
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped whenever sessions must end (deactivation, password change): the session stores it.
    session_epoch: Mapped[int] = mapped_column(default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None] = mapped_column()
    recovery_codes: Mapped[str | None] = mapped_column(Text)

    swvs: Mapped[list[Swv]] = relationship(secondary=user_swv, order_by=Swv.code)
    gemeenten: Mapped[list[Gemeente]] = relationship(secondary=user_gemeente, order_by=Gemeente.code)
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def swv_ids(self) -> list[int]:
        return [swv.id for swv in self.swvs]

    @property
    def gemeente_ids(self) -> list[int]:
        return [gemeente.id for gemeente in self.gemeenten]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


def with_scope(via: Any = None) -> list[Any]:
    """Loader options that bring a user's swv's and gemeenten (what `cases.scope` reads) into the query that loads
    the user: of ``User`` itself, or through a relationship's loader (``via``, e.g. ``joinedload(ApiToken.user)``)."""
    return [via.joinedload(scope) if via is not None else joinedload(scope) for scope in (User.swvs, User.gemeenten)]


class ApiToken(db.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once. It expires (``expires_at``;
    tokens issued before expiry existed have none) and can be revoked earlier."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def usable(self, now: datetime) -> bool:
        return self.active and not self.expired(now)


class UserSession(db.Model):
    """A server-side session. The cookie holds a random token; only its SHA-256 is stored.

    Rows are written with their own connection by `thuiszitters.accounts.sessions`, never through the
    request's ORM session, so a failed request can neither lose nor commit half a session.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Set once someone logs in with this session; lets an admin end every session of a user.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LoginAttempt(db.Model):
    """A failed login (password or second-factor code), for throttling across all workers.

    Neither the e-mail address nor the IP address is stored: both are keyed hashes (HMAC with the secret key).
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_account_occurred", "account_key", "occurred_at"),
        Index("ix_login_attempt_address_occurred", "address_key", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(10))
    account_key: Mapped[str] = mapped_column(String(64))
    address_key: Mapped[str] = mapped_column(String(64))


class OidcIdentity(db.Model):
    """A user's account at the organisation's identity provider: the provider's ``sub`` under its issuer.

    Bound at the first sign-in through the provider (matched on a verified e-mail address); from then on the only
    way that sign-in finds the user, so a changed e-mail address at the provider cannot take over another account.
    One per user. An admin can unbind it; the next sign-in then matches on the e-mail address again.
    """

    __tablename__ = "oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
