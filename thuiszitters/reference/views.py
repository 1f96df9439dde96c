"""The reference data page for admins: counts of swv's, gemeenten and schools, and the import of a CSV file."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.reference.forms import ReferenceImportForm
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.reference.services import COLUMNS, OPTIONAL, ImportRefused, import_csv

bp = Blueprint("reference", __name__, url_prefix="/beheer/referentiegegevens")

# At most this many problems of a refused file are listed on the page (the count says how many there were).
SHOWN_PROBLEMS = 50


@bp.before_request
def only_reference_managers():
    require(current_user, Capability.MANAGE_REFERENCE_DATA)


@bp.route("", methods=["GET", "POST"])
def index():
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
                return redirect(url_for("reference.index"))
    if form.is_submitted():
        status = 400
    counts = {
        "swv": db.session.scalar(select(func.count()).select_from(Swv)),
        "gemeente": db.session.scalar(select(func.count()).select_from(Gemeente)),
        "school": db.session.scalar(select(func.count()).select_from(School)),
    }
    return render_template("reference/index.html", form=form, counts=counts, columns=COLUMNS,
                           optional=OPTIONAL, problems=problems[:SHOWN_PROBLEMS], problem_count=len(problems)), status
