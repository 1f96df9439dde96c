"""Login (password, then the second factor), logout and MFA enrolment.

Sign-in through the organisation (oidc_views) ends in the same two steps: `begin_second_factor` when the app's own
code is still to be asked, `complete_login` otherwise.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required, login_user, logout_user

from thuiszitters.accounts import enrolment, mfa, oidc
from thuiszitters.accounts.forms import CodeForm, EnrolmentForm, LoginForm
from thuiszitters.accounts.models import User
from thuiszitters.accounts.services import find_user_by_email, verify_password
from thuiszitters.accounts.sessions import DatabaseSessionInterface
from thuiszitters.accounts.throttle import (
    THROTTLED_MESSAGE,
    claim_attempt,
    clear_account,
    is_throttled,
    keys_for,
    record_failure,
    release_attempt,
)
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.clock import now_utc, real_now_utc
from thuiszitters.extensions import db
from thuiszitters.http.errors import refusals_shown_on
from thuiszitters.http.forms import ConfirmForm
from thuiszitters.http.redirects import local_target
from thuiszitters.http.security import add_signed_in_check
from thuiszitters.parsing import record_id

bp = Blueprint("auth", __name__)

# Session keys. PENDING marks "password right, second factor still to come": the user is NOT logged in yet.
PENDING = "mfa_pending"
SETUP_SECRET = "mfa_setup_secret"  # noqa: S105 - a session key, not a secret
SETUP_MAIL_CODE = "mfa_setup_mail_code"
# How this session signed in when not with a password: {"via": "oidc", "mfa": the provider asked a second factor,
# "id_token": the hint for signing out at the provider}. Kept through the second factor and for the whole session.
SIGN_IN = "sign_in"
PENDING_SECONDS = 5 * 60
UNKNOWN_COMBINATION = "Onbekende combinatie van e-mailadres en wachtwoord."

# What a logged-in user without MFA may still reach when MFA is required (enrolment_redirect sends everything else
# to the enrolment page).
ENROLMENT_ENDPOINTS = frozenset({"auth.mfa_setup", "auth.resend_enrolment_code", "auth.logout"})


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    """Sessions are kept in the database; a signed-in page first checks the second factor's enrolment."""
    state.app.session_interface = DatabaseSessionInterface()
    add_signed_in_check(state.app, enrolment_redirect)


def _safe_next(target: str | None) -> str:
    # Only paths on this site, as the browser will read them: never to another site after login.
    return local_target(target) or url_for("main.index")


def complete_login(user: User, method: str, sign_in: dict | None = None) -> None:
    session.clear()
    session.regenerate()  # a fresh session id at login: no fixation
    login_user(user)
    if sign_in:
        session[SIGN_IN] = sign_in
    user.last_login_at = now_utc()
    record("user.login", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id,
           changes={"method": [None, method]})
    db.session.commit()


def begin_second_factor(user: User, next_url: str, now: datetime, sign_in: dict | None = None) -> Response:
    """Password (or provider) accepted, the app's own code still to come: the user is NOT logged in yet."""
    session.clear()
    session.regenerate()
    session[PENDING] = {"user": user.get_id(), "at": now.timestamp(), "next": next_url, "sign_in": sign_in}
    return redirect(url_for("auth.second_factor"))


def enrolment_redirect():
    """When MFA is required and the logged-in user has none yet: the enrolment page before anything else.

    Not after a sign-in through the provider that itself asked a second factor: that one counts.
    """
    if not current_app.config.get("MFA_REQUIRED") or current_user.totp_secret:
        return None
    sign_in = session.get(SIGN_IN)
    if isinstance(sign_in, dict) and sign_in.get("mfa"):
        return None
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    return redirect(url_for("auth.mfa_setup"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        now = real_now_utc()
        keys = keys_for(form.email.data or "", request.remote_addr)
        attempt = claim_attempt(keys, "password", now)
        if attempt is None:
            # Checked before the password, and the same for known and unknown addresses.
            form.form_errors.append(THROTTLED_MESSAGE)
            return render_template("auth/login.html", form=form), 429
        user = find_user_by_email(form.email.data or "")
        if verify_password(user, form.password.data or "") and user is not None and user.active:
            next_url = _safe_next(request.args.get("next"))
            if user.totp_secret:
                release_attempt(attempt)  # a right password; the second factor is counted on its own
                db.session.commit()
                return begin_second_factor(user, next_url, now)
            clear_account(keys)
            complete_login(user, "password")
            return redirect(next_url)
        # The claimed attempt stays counted as a failure. The same message whether the address exists or not.
        form.form_errors.append(UNKNOWN_COMBINATION)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _pending_user() -> tuple[User | None, str, dict | None]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None, "", None
    if real_now_utc().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None, "", None
    user_id, _, epoch = str(pending.get("user", "")).partition(":")
    user = db.session.get(User, key) if (key := record_id(user_id)) is not None else None
    if user is None or not user.active or str(user.session_epoch) != epoch:
        return None, "", None
    sign_in = pending.get("sign_in")
    return user, str(pending.get("next") or url_for("main.index")), sign_in if isinstance(sign_in, dict) else None


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    user, next_url, sign_in = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Log opnieuw in.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        now = real_now_utc()
        keys = keys_for(user.email, request.remote_addr)
        if claim_attempt(keys, "mfa", now) is None:
            form.form_errors.append(THROTTLED_MESSAGE)
            return render_template("auth/second_factor.html", form=form), 429
        method = mfa.verify_second_factor(user, form.code.data or "", now)
        if method is not None:
            clear_account(keys)
            complete_login(user, f"{sign_in.get('via')}+{method}" if sign_in else method, sign_in)
            if method == "recovery":
                flash(f"U heeft een herstelcode gebruikt. U heeft er nog {mfa.remaining_recovery_codes(user)}.",
                      "info")
            return redirect(_safe_next(next_url))
        db.session.commit()  # whatever verify_second_factor wrote; the claimed attempt already counts
        form.code.errors = ["Deze code klopt niet of is al gebruikt."]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/account/tweestapsverificatie", methods=["GET", "POST"])
@login_required
def mfa_setup():
    if current_user.totp_secret:
        return render_template("auth/mfa_status.html", remaining=mfa.remaining_recovery_codes(current_user),
                               form=ConfirmForm())
    secret = session.get(SETUP_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[SETUP_SECRET] = mfa.new_secret()
    with_mail = bool(current_app.config.get("MFA_ENROLMENT_MAIL_CODE"))
    form = EnrolmentForm() if with_mail else CodeForm()
    now = real_now_utc()
    if with_mail and request.method == "GET" and not enrolment.usable(session.get(SETUP_MAIL_CODE), now) \
            and enrolment.may_resend(session.get(SETUP_MAIL_CODE), now):
        session[SETUP_MAIL_CODE] = enrolment.issue_code(current_user, real_now=now, outbox_now=now_utc())
        db.session.commit()
    status = 400 if form.is_submitted() else 200

    def page(status: int):
        uri = mfa.provisioning_uri(secret, current_user.email)
        return render_template("auth/mfa_setup.html", form=form, qr=mfa.qr_data_uri(uri), secret=secret,
                               with_mail=with_mail, mail_to=enrolment.masked_address(current_user.email),
                               resend_form=ConfirmForm()), status

    keys = keys_for(current_user.email, request.remote_addr)
    if with_mail and form.is_submitted() and is_throttled(keys, now):
        # Wrong mail codes count towards the login throttle: guessing is as slow as guessing passwords.
        form.form_errors.append(THROTTLED_MESSAGE)
        status = 429
    elif form.validate_on_submit():
        mail_error = None
        if with_mail:
            session[SETUP_MAIL_CODE], mail_error = enrolment.check_code(session.get(SETUP_MAIL_CODE),
                                                                        form.mail_code.data or "", now)
        if mail_error:
            form.mail_code.errors = [mail_error]
            record_failure(keys, "mfa", now)
            db.session.commit()
        else:
            refusals_shown_on(form, lambda refusal: page(refusal.status))  # a wrong code, beside the field
            codes = mfa.enable_mfa(current_user, secret, form.code.data or "", now)
            db.session.commit()
            session.pop(SETUP_SECRET, None)
            session.pop(SETUP_MAIL_CODE, None)
            # Shown once, in this answer only (no redirect: the codes are stored nowhere in plain text).
            return render_template("auth/recovery_codes.html", codes=codes)
    return page(status)


@bp.post("/account/tweestapsverificatie/nieuwe-code")
@login_required
def resend_enrolment_code():
    """Send a new e-mail code for the enrolment (at most once a minute)."""
    if (current_user.totp_secret or not current_app.config.get("MFA_ENROLMENT_MAIL_CODE")
            or not ConfirmForm().validate_on_submit()):
        return redirect(url_for("auth.mfa_setup"))
    now = real_now_utc()
    if enrolment.may_resend(session.get(SETUP_MAIL_CODE), now):
        session[SETUP_MAIL_CODE] = enrolment.issue_code(current_user, real_now=now, outbox_now=now_utc())
        db.session.commit()
        flash("Er is een nieuwe code naar uw e-mailadres gestuurd.", "success")
    else:
        flash("U heeft net een code gekregen. Wacht een minuut voordat u een nieuwe aanvraagt.", "info")
    return redirect(url_for("auth.mfa_setup"))


@bp.post("/account/tweestapsverificatie/herstelcodes")
@login_required
def renew_recovery_codes():
    form = ConfirmForm()
    if not current_user.totp_secret or not form.validate_on_submit():
        return redirect(url_for("auth.mfa_setup"))
    codes = mfa.regenerate_recovery_codes(current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Uitloggen mislukt: laad de pagina opnieuw.", "error")
        return redirect(url_for("main.index"))
    sign_in = session.get(SIGN_IN)
    logout_user()
    session.clear()
    session.regenerate()  # the old session row is deleted; only the flash message below gets a new one
    if isinstance(sign_in, dict) and sign_in.get("via") == "oidc":
        # Signed in through the organisation: end the session there too, where the provider offers that.
        provider_url = oidc.logout_url(str(sign_in.get("id_token") or ""))
        if provider_url:
            # A page that moves on by itself, not a redirect: the CSP's form-action 'self' would block a redirect
            # to another site as the answer to this form. The message waits for the login page it comes back to.
            page = render_template("auth/provider_logout.html", provider_url=provider_url)
            flash("U bent uitgelogd.", "info")
            return page
        flash("Sluit uw browser om ook bij uw organisatie uitgelogd te zijn.", "info")
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
