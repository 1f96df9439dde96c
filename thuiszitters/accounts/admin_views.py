"""Admin pages: users, their role and scope, and their API tokens; the mail outbox."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from thuiszitters.accounts.forms import ConfirmForm, ReferenceImportForm, UserForm
from thuiszitters.accounts.mfa import reset_mfa
from thuiszitters.accounts.models import User
from thuiszitters.accounts.scope import require_role
from thuiszitters.accounts.services import (
    UserInput,
    create_user,
    revoke_sessions,
    revoke_token,
    set_password,
    update_user,
)
from thuiszitters.clock import now_utc
from thuiszitters.errors import ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.parsing import record_id
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.reference.services import COLUMNS, OPTIONAL, ImportRefused, import_csv
from thuiszitters.reminders.mailer import held_messages, outbox_overview, retry_failed

bp = Blueprint("admin", __name__, url_prefix="/beheer")

ADMIN = frozenset({"admin"})


@bp.before_request
def only_admins():
    require_role(current_user, ADMIN)


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


_FIELD_FOR_PARAM = {"swvCodes": "swvs", "gemeenteCodes": "gemeenten"}


def _attach(form: UserForm, exc: ValidationFailed) -> None:
    for param in exc.params:
        field = getattr(form, _FIELD_FOR_PARAM.get(param.name, param.name), None)
        if field is not None:
            field.errors = [*field.errors, param.reason]
        else:
            form.form_errors.append(param.reason)


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
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = ["Vul een wachtwoord in."]
        else:
            try:
                user = create_user(_input(form), form.password.data, actor_id=current_user.id)
            except ValidationFailed as exc:
                db.session.rollback()
                _attach(form, exc)
            else:
                db.session.commit()
                flash(f"Gebruiker {user.email} is aangemaakt.", "success")
                return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm()
    _scope_choices(form)
    if not form.is_submitted():
        form.email.data, form.name.data, form.role.data = user.email, user.name, user.role
        form.swvs.data = [s.code for s in user.swvs]
        form.gemeenten.data = [g.code for g in user.gemeenten]
        form.active.data = user.active
    elif form.validate():
        try:
            update_user(user, _input(form), actor_id=current_user.id)
            if form.password.data:
                set_password(user, form.password.data, actor_id=current_user.id)
        except ValidationFailed as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(f"Gebruiker {user.email} is bijgewerkt.", "success")
            return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=user, revoke_form=ConfirmForm(),
                           now=now_utc()), status


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


@bp.route("/mail")
def mail_outbox():
    """The outbox: how many mails wait, went out or failed, and the ones that need attention."""
    # Development without an SMTP server: mail never leaves, so the page shows it (a local mail catcher).
    held = held_messages() if not current_app.config["MAIL_SERVER"] and current_app.config["ENV"] != "production" \
        else None
    return render_template("admin/mail.html", overview=outbox_overview(), form=ConfirmForm(), held=held)


@bp.post("/mail/opnieuw")
def retry_mail():
    """Send failed mail again: one (``message_id`` in the form) or every failed one."""
    raw = (request.form.get("message_id") or "").strip()
    message_id = record_id(raw) if raw else None
    if raw and message_id is None:
        abort(400)
    if ConfirmForm().validate_on_submit():
        count = retry_failed(now_utc(), actor_id=current_user.id, message_id=message_id)
        db.session.commit()
        if count:
            flash(f"{count} mail(s) opnieuw in de wachtrij gezet; de verzender probeert het binnen een minuut.",
                  "success")
        else:
            flash("Er was geen mislukte mail (meer) om opnieuw te versturen.", "info")
    return redirect(url_for("admin.mail_outbox"))


# At most this many problems of a refused file are listed on the page (the count says how many there were).
SHOWN_PROBLEMS = 50


@bp.route("/referentiegegevens", methods=["GET", "POST"])
def reference_data():
    """Counts of the reference data, and the import of a CSV file: all rows or, with any bad row, none."""
    form = ReferenceImportForm()
    problems: list[tuple[int, str]] = []
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["Het bestand is geen UTF-8-tekst. Sla het op als CSV in UTF-8 en probeer het opnieuw."]
        else:
            try:
                result = import_csv(form.kind.data, text, actor_id=current_user.id)
            except ImportRefused as exc:
                db.session.rollback()
                problems = exc.problems
            else:
                db.session.commit()
                flash(f"Import geslaagd: {result.created} nieuw, {result.updated} bijgewerkt.", "success")
                return redirect(url_for("admin.reference_data"))
    if form.is_submitted():
        status = 400
    counts = {
        "swv": db.session.scalar(select(func.count()).select_from(Swv)),
        "gemeente": db.session.scalar(select(func.count()).select_from(Gemeente)),
        "school": db.session.scalar(select(func.count()).select_from(School)),
    }
    return render_template("admin/reference_data.html", form=form, counts=counts, columns=COLUMNS,
                           optional=OPTIONAL, problems=problems[:SHOWN_PROBLEMS], problem_count=len(problems)), status
