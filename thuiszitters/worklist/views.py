"""The werkvoorraad page "Mijn werk" (/mijn-werk), the start page of coordinators and leerplicht users."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from thuiszitters.audit.services import read_activity, record_list_read
from thuiszitters.clock import today
from thuiszitters.extensions import db
from thuiszitters.parsing import page_number
from thuiszitters.permissions import Capability, require
from thuiszitters.worklist import items as wl
from thuiszitters.worklist.forms import UntilForm
from thuiszitters.worklist.sources import collect, work_items

bp = Blueprint("worklist", __name__)


@bp.route("/mijn-werk")
def index():
    require(current_user, Capability.READ_WORKLIST)
    day = today()
    form = UntilForm(request.args)
    until, status = wl.default_until(day), 200
    if request.args.get("tot", "").strip():
        if form.validate() and (problem := wl.until_problem(form.tot.data, day)) is not None:
            form.tot.errors = [problem[1]]
        if form.tot.errors:
            status = 400
        else:
            until = form.tot.data
    else:
        form.tot.data = until
    found = collect(current_user, until)
    page = wl.page_of(found, page_number(request.args.get("page", "1")))
    shown = work_items(page.items, day)
    chosen = {"tot": request.args["tot"]} if status == 200 and request.args.get("tot", "").strip() else {}
    html = render_template("worklist/index.html", form=form, page=page, groups=wl.group_items(shown, day),
                           counts=wl.group_counts(found, day), until=until, chosen=chosen,
                           kind_labels=wl.KIND_LABELS)
    # Logged after rendering, so the write lock is held only for the append itself: the cases this page named.
    record_list_read("case.list", actor_id=current_user.id, activity=read_activity(current_user.role),
                     case_ids=[item.case_id for item in page.items], listed_on=request.path)
    db.session.commit()
    return html, status
