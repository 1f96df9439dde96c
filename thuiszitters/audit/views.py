"""The processing log page for admins: who read or changed a case, when, and under which processing activity."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from thuiszitters.accounts.scope import require_role
from thuiszitters.audit import log
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_ADMIN, record, record_list_read
from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, normalize_bsn

bp = Blueprint("audit", __name__, url_prefix="/beheer/verwerkingen")


class BsnSearchForm(FlaskForm):
    bsn = StringField("BSN van de leerling",
                      validators=[DataRequired("Vul een BSN in."), Length(max=20, message="Een BSN heeft 9 cijfers.")],
                      render_kw={"autocomplete": "off", "inputmode": "numeric"})


@bp.before_request
def only_admins():
    require_role(current_user, frozenset({"admin"}))


@bp.route("", methods=["GET", "POST"])
def processing_log():
    form = BsnSearchForm()
    references: list[str] | None = None
    if form.validate_on_submit():
        # Posted, so the BSN never appears in a URL, a server log or the browser history.
        try:
            found = log.cases_for_bsn(normalize_bsn(form.bsn.data or ""))
        except InvalidIdentifier as exc:
            form.bsn.errors = [exc.message]
        else:
            references = [reference for _, reference in found]
            # Which cases a BSN has is itself personal data: the search is logged with the cases it found.
            record_list_read("case.search", actor_id=current_user.id, activity=ACTIVITY_ADMIN,
                             case_ids=[case_id for case_id, _ in found], listed_on=request.path)
            db.session.commit()
    reference = (request.args.get("case") or "").strip()[:20]
    reads_only = request.args.get("alleen") == "inzage"
    case_id = log.case_id_for_reference(reference) if reference else None
    page = None
    if case_id is not None:
        page = db.paginate(log.events_for_case(case_id, reads_only=reads_only).options(joinedload(AuditEvent.actor)),
                           per_page=50, max_per_page=50, error_out=False)
        # Looking at who looked is itself a processing of the case's data: it goes in the same log.
        record("processing_log.read", actor_id=current_user.id, activity=ACTIVITY_ADMIN, case_id=case_id,
               object_type="case", object_id=case_id)
        db.session.commit()
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("audit/processing_log.html", form=form, references=references, reference=reference,
                           case_id=case_id, page=page, reads_only=reads_only, label=log.action_label,
                           read_actions=log.READ_ACTIONS), status
