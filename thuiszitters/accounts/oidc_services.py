"""Sign-in through the organisation, the database side: find, bind and unbind the provider's identity of a user.

No request objects here; the edge commits. The audit trail says that an identity was bound or unbound, never the
provider's ``sub`` or the e-mail address.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from thuiszitters.accounts import oidc_rules
from thuiszitters.accounts.models import OidcIdentity, User
from thuiszitters.accounts.services import find_user_by_email
from thuiszitters.accounts.sessions import end_sessions
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.extensions import db


def _facts(user: User, bound: bool) -> oidc_rules.AccountFacts:
    return oidc_rules.AccountFacts(user_id=user.id, active=user.active, bound=bound)


def user_for_sign_in(issuer: str, claims: Mapping[str, Any], now: datetime) -> User:
    """The account this verified ID token signs in to, binding the identity at the first sign-in.

    Raises SignInRefused (unknown person, deactivated account, unverified address, account bound to another
    ``sub``), and IntegrityError when another request bound this ``sub`` or this account since the look-up (two
    first sign-ins at once): the caller rolls back and asks again, and that binding decides. Flushes, does not
    commit.
    """
    subject = str(claims["sub"])
    identity = db.session.scalar(
        select(OidcIdentity).options(joinedload(OidcIdentity.user))
        .where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )
    email = oidc_rules.verified_email(claims)
    candidate = None
    candidate_bound = False
    if identity is None and email is not None:
        candidate = find_user_by_email(email)
        if candidate is not None:
            candidate_bound = db.session.scalar(
                select(OidcIdentity.id).where(OidcIdentity.user_id == candidate.id, OidcIdentity.issuer == issuer)
            ) is not None
    admission = oidc_rules.admit(
        bound=_facts(identity.user, True) if identity is not None else None,
        by_email=_facts(candidate, candidate_bound) if candidate is not None else None,
        email_verified=email is not None,
    )
    if not admission.bind:
        assert identity is not None
        identity.last_login_at = now
        db.session.flush()
        return identity.user
    assert candidate is not None
    # A binding to another issuer is left from a provider this deployment no longer uses: it is replaced. One to
    # this issuer is never touched here: if another request made it since the look-up above, the insert below
    # fails on the unique user_id (and the caller looks again) instead of silently re-binding the account.
    replaced = db.session.execute(delete(OidcIdentity).where(OidcIdentity.user_id == candidate.id,
                                                             OidcIdentity.issuer != issuer)).rowcount
    db.session.add(OidcIdentity(user_id=candidate.id, issuer=issuer, subject=subject, bound_at=now,
                                last_login_at=now))
    record("user.oidc_bind", actor_id=candidate.id, activity=ACTIVITY_ADMIN, object_type="user",
           object_id=candidate.id, changes={"provider_identity": ["replaced" if replaced else None, "bound"]})
    db.session.flush()
    return candidate


def unbind(user: User, *, actor_id: int | None) -> bool:
    """Admin: forget the user's identity at the provider; the next sign-in there matches on e-mail again.

    The user's sessions end too: whoever is signed in through the unbound identity may not be the account's owner.
    Returns False when there was nothing to unbind.
    """
    identity = db.session.scalar(select(OidcIdentity).where(OidcIdentity.user_id == user.id))
    if identity is None:
        return False
    db.session.delete(identity)
    user.session_epoch += 1
    end_sessions(user.id)
    record("user.oidc_unbind", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id,
           changes={"provider_identity": ["bound", None]})
    db.session.flush()
    return True


@dataclass(frozen=True)
class IdentityRow:
    """One line of the admin page."""

    user: User
    issuer: str
    subject: str
    bound_at: datetime
    last_login_at: datetime


def identity_overview() -> list[IdentityRow]:
    """Every user bound to an identity at a provider, the most recent sign-in first."""
    identities = db.session.scalars(
        select(OidcIdentity).options(joinedload(OidcIdentity.user))
        .order_by(OidcIdentity.last_login_at.desc(), OidcIdentity.id)
    ).all()
    return [IdentityRow(i.user, i.issuer, i.subject, i.bound_at, i.last_login_at) for i in identities]
