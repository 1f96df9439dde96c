"""Sign-in through the organisation (OpenID Connect): the two public routes, and the admin page of bound identities.

`/login/oidc` sends the browser to the provider; `/login/oidc/callback` takes it back, lets Authlib verify the
answer (oidc.py), decides who gets in (oidc_rules, oidc_services) and ends like a password login: the app's own
second factor when the provider did not ask one and the user has one, else logged in. Without
THUISZITTERS_OIDC_ISSUER both routes send the visitor to the password login.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from thuiszitters.accounts import oidc, oidc_rules, oidc_services
from thuiszitters.accounts.models import User
from thuiszitters.accounts.views import _safe_next, begin_second_factor, complete_login
from thuiszitters.clock import now_utc, real_now_utc
from thuiszitters.extensions import db
from thuiszitters.http.forms import ConfirmForm
from thuiszitters.permissions import Capability, require

log = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__)

# Where to go after the sign-in, kept in the session while the browser is at the provider.
NEXT = "oidc_next"


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    oidc.init_app(state.app)


@bp.app_context_processor
def _login_button() -> dict[str, str | None]:
    settings = oidc.settings()
    return {"oidc_label": settings.label if settings else None}


def _not_set_up():
    flash("Inloggen via uw organisatie is hier niet ingesteld. Log in met uw e-mailadres en wachtwoord.", "info")
    return redirect(url_for("auth.login"))


def _refused(refusal: oidc_rules.SignInRefused):
    """The Dutch page; the log line names the reason and protocol facts, never the person."""
    log.warning("oidc sign-in refused: %s%s", refusal.reason, f" ({refusal.log_detail})" if refusal.log_detail else "")
    db.session.rollback()
    session.pop(NEXT, None)
    return render_template("auth/oidc_refused.html", refusal=refusal.refusal), refusal.status


@bp.get("/login/oidc")
def login():
    if oidc.settings() is None:
        return _not_set_up()
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    session[NEXT] = _safe_next(request.args.get("next"))
    try:
        return oidc.authorization_redirect()
    except oidc_rules.SignInRefused as refusal:
        return _refused(refusal)


def _user_for(signed_in: oidc.ProviderSignIn) -> User:
    try:
        return oidc_services.user_for_sign_in(signed_in.issuer, signed_in.claims, now_utc())
    except IntegrityError:
        # Another request bound this identity or this account in the meantime (two first sign-ins at once, in two
        # tabs, or by two people whose provider accounts carry the same address): that binding now decides.
        db.session.rollback()
        return oidc_services.user_for_sign_in(signed_in.issuer, signed_in.claims, now_utc())


@bp.get("/login/oidc/callback")
def callback():
    settings = oidc.settings()
    if settings is None:
        return _not_set_up()
    try:
        signed_in = oidc.finish_sign_in()
        user = _user_for(signed_in)
    except oidc_rules.SignInRefused as refusal:
        return _refused(refusal)
    next_url = _safe_next(session.pop(NEXT, None))
    provider_mfa = oidc_rules.provider_asked_second_factor(signed_in.claims, settings.mfa_acr)
    sign_in = {"via": "oidc", "mfa": provider_mfa, "id_token": signed_in.id_token}
    if user.totp_secret and not provider_mfa:
        db.session.commit()  # the binding (first sign-in) stands, whatever the second factor does
        return begin_second_factor(user, next_url, real_now_utc(), sign_in)
    complete_login(user, "oidc+mfa" if provider_mfa else "oidc", sign_in)
    return redirect(next_url)


@bp.get("/beheer/organisatie-accounts")
def identities():
    """Admin: who is bound to an identity at the provider, since when, and when they last signed in there."""
    require(current_user, Capability.MANAGE_USERS)
    return render_template("admin/oidc_identities.html", rows=oidc_services.identity_overview(),
                           settings=oidc.settings(), form=ConfirmForm())


@bp.post("/beheer/organisatie-accounts/<int:user_id>/ontkoppelen")
def unbind(user_id: int):
    """Admin: unbind a user's identity at the provider (the next sign-in there matches on e-mail again)."""
    require(current_user, Capability.MANAGE_USERS)
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        if oidc_services.unbind(user, actor_id=current_user.id):
            db.session.commit()
            flash(f"De koppeling van {user.email} met het account bij de organisatie is verbroken; de sessies van "
                  "deze gebruiker zijn beëindigd.", "success")
        else:
            flash(f"{user.email} was niet gekoppeld.", "info")
    return redirect(url_for("oidc.identities"))
