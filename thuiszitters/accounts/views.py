"""Login and logout."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from thuiszitters.accounts.forms import ConfirmForm, LoginForm
from thuiszitters.accounts.services import find_user_by_email, verify_password
from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after login.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data or "")
        if verify_password(user, form.password.data or "") and user is not None and user.active:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session at login: no fixation
            login_user(user)
            user.last_login_at = now_utc()
            record("user.login", actor_id=user.id, activity=ACTIVITY_ADMIN, object_type="user", object_id=user.id)
            db.session.commit()
            return redirect(next_url)
        # The same message whether the address exists or not.
        form.form_errors.append("Onbekende combinatie van e-mailadres en wachtwoord.")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Uitloggen mislukt: laad de pagina opnieuw.", "error")
        return redirect(url_for("main.index"))
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
