"""Admin pages: users, their role and scope, and their API tokens, sessions and second factor."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from thuiszitters.accounts.forms import UserForm
from thuiszitters.accounts.mfa import reset_mfa
from thuiszitters.accounts.models import User
from thuiszitters.accounts.services import (
    UserInput,
    check_user,
    create_user,
    revoke_sessions,
    revoke_token,
    set_password,
    update_user,
)
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.http.errors import form_accepted
from thuiszitters.http.forms import ConfirmForm
from thuiszitters.permissions import Capability, require
from thuiszitters.reference.models import Gemeente, Swv

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.before_request
def only_user_managers():
    require(current_user, Capability.MANAGE_USERS)


def _scope_choices(form: UserForm) -> None:
    form.swvs.choices = [(s.code, f"{s.code} {s.name}") for s in db.session.scalars(select(Swv).order_by(Swv.code))]
    form.gemeenten.choices = [
        (g.code, f"{g.code} {g.name}") for g in db.session.scalars(select(Gemeente).order_by(Gemeente.name))
    ]


def _input(form: UserForm) -> UserInput:
    return UserInput(
        email=form.email.data or "",
        name=form.name.data or "",
        role=form.role.data or "",
        swv_codes=tuple(form.swvs.data or ()),
        gemeente_codes=tuple(form.gemeenten.data or ()),
        active=bool(form.active.data),
    )


PASSWORD_REQUIRED = "Vul een wachtwoord in."  # noqa: S105 (a message, not a password)
# The service names the scope after UserInput; the form's fields are called swvs and gemeenten.
_FIELD_FOR_PARAM = {"swvCodes": "swvs", "gemeenteCodes": "gemeenten"}


@bp.route("/gebruikers")
def users():
    rows = db.session.scalars(
        select(User).options(selectinload(User.swvs), selectinload(User.gemeenten)).order_by(User.email)
    ).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    _scope_choices(form)

    def page(status: int):
        return render_template("admin/user_form.html", form=form, user=None), status

    def check() -> None:
        if not form.password.data and not form.password.errors:
            form.password.errors = [PASSWORD_REQUIRED]
        check_user(_input(form), form.password.data or None)

    if form_accepted(form, lambda refusal: page(refusal.status), check=check, field_names=_FIELD_FOR_PARAM):
        if not form.password.data:
            form.password.errors = [PASSWORD_REQUIRED]
            check_user(_input(form), None)  # the other problems in the same round
        else:
            user = create_user(_input(form), form.password.data, actor_id=current_user.id)
            db.session.commit()
            flash(f"Gebruiker {user.email} is aangemaakt.", "success")
            return redirect(url_for("admin.users"))
    return page(400 if form.is_submitted() else 200)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm()
    _scope_choices(form)

    def page(status: int):
        return render_template("admin/user_form.html", form=form, user=user, revoke_form=ConfirmForm(),
                               now=now_utc()), status

    if not form.is_submitted():
        form.email.data, form.name.data, form.role.data = user.email, user.name, user.role
        form.swvs.data = [s.code for s in user.swvs]
        form.gemeenten.data = [g.code for g in user.gemeenten]
        form.active.data = user.active
    elif form_accepted(form, lambda refusal: page(refusal.status), field_names=_FIELD_FOR_PARAM,
                       check=lambda: check_user(_input(form), form.password.data or None, existing=user)):
        update_user(user, _input(form), actor_id=current_user.id)
        if form.password.data:
            set_password(user, form.password.data, actor_id=current_user.id)
        db.session.commit()
        flash(f"Gebruiker {user.email} is bijgewerkt.", "success")
        return redirect(url_for("admin.users"))
    return page(400 if form.is_submitted() else 200)


@bp.post("/gebruikers/<int:user_id>/tokens/<int:token_id>/intrekken")
def revoke(user_id: int, token_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        revoke_token(user, token_id, actor_id=current_user.id)
        db.session.commit()
        flash("De API-sleutel is ingetrokken.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/gebruikers/<int:user_id>/sessies-beeindigen")
def end_user_sessions(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        count = revoke_sessions(user, actor_id=current_user.id)
        db.session.commit()
        flash(f"{count} sessie(s) van {user.email} beëindigd.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/gebruikers/<int:user_id>/tweestapsverificatie-resetten")
def reset_user_mfa(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        reset_mfa(user, actor_id=current_user.id)
        db.session.commit()
        flash(f"Tweestapsverificatie van {user.email} is gewist; bij de volgende keer inloggen stelt "
              "de gebruiker haar opnieuw in.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
