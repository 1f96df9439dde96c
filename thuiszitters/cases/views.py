"""Case pages: the list in the user's scope, the case page, and the forms that change a case.

Each view loads (404 outside the scope), authorizes (403 for read-only roles), validates the form and calls one
service. Its refusals are shown on the form itself by thuiszitters.http.errors (messages beside the fields); the
form page adds what only it draws: the conflict block on a stale edit, the missing steps when the interventieteam
gate is shut.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from thuiszitters.audit.services import read_activity, record, record_list_read
from thuiszitters.cases.facts import case_facts
from thuiszitters.cases.forms import (
    ALL_STATUSES,
    STEP_FORMS,
    CaseFilterForm,
    CaseOrderForm,
    CloseCaseForm,
    EditCaseForm,
    NewCaseForm,
    ReopenCaseForm,
    SearchForm,
    TransferCaseForm,
)
from thuiszitters.cases.labels import CHAIN_STATE_LABELS, list_phrase
from thuiszitters.cases.models import Case
from thuiszitters.cases.presenters import (
    case_actions,
    case_rows,
    case_timeline,
    case_value,
    current_values,
    stale_changes,
    step_summary,
    step_value,
)
from thuiszitters.cases.queries import (
    CASE_SORTS,
    DEFAULT_SORT,
    CaseFilter,
    filter_choices,
    get_case_for_page,
    paginate_cases,
)
from thuiszitters.cases.search import interpret, record_search
from thuiszitters.cases.services import (
    CaseInput,
    add_step,
    check_case_update,
    check_close,
    check_new_case,
    check_new_step,
    check_step_update,
    check_transfer,
    close_case,
    create_case,
    reopen_case,
    terms,
    transfer_case,
    update_case,
    update_step,
)
from thuiszitters.clock import today
from thuiszitters.errors import GateRefused, StaleVersion
from thuiszitters.escalation import spec
from thuiszitters.escalation.gate import interventieteam_missing_steps, missing_predecessors
from thuiszitters.escalation.terms import age_on
from thuiszitters.extensions import db
from thuiszitters.http.errors import Refusal, form_accepted, refusals_shown_on
from thuiszitters.permissions import Capability, can, require
from thuiszitters.reference.models import Gemeente, School, Swv

bp = Blueprint("cases", __name__, url_prefix="/casussen")


@bp.before_request
def only_case_readers():
    require(current_user, Capability.READ_CASES)


# --- helpers -------------------------------------------------------------------------------------------


def _editable_case(case_id: int) -> Case:
    """Load (404 outside the scope), then authorize (403 for roles that only read)."""
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.EDIT_CASES)
    return case


def _optional(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _school_choices(empty: str) -> list[tuple[str, str]]:
    schools = db.session.scalars(select(School).order_by(School.name)).all()
    return [("", empty), *((s.brin, f"{s.name} ({s.brin})") for s in schools)]


def _gemeente_choices(empty: str | None = None) -> list[tuple[str, str]]:
    gemeenten = db.session.scalars(select(Gemeente).order_by(Gemeente.name)).all()
    choices = [(g.code, f"{g.name} ({g.code})") for g in gemeenten]
    return [("", empty), *choices] if empty else choices


def _render_form(form: Any, refusal: Refusal | None, *, title: str, submit: str, case: Case | None = None,
                 intro: str | None = None, current: list[tuple[str, str]] | None = None,
                 notices: list[str] | None = None, missing: list[str] | None = None):
    """The form page; after a refusal with what it says: the other person's changes, or the steps still missing."""
    error = refusal.error if refusal else None
    stale = stale_changes(error.changes) if isinstance(error, StaleVersion) else None
    gate = [spec.STEP_LABELS.get(kind, kind) for kind in error.missing_steps] \
        if isinstance(error, GateRefused) else None
    status = refusal.status if refusal else (400 if form.is_submitted() else 200)
    return render_template(
        "cases/form.html", form=form, title=title, submit=submit, case=case, intro=intro,
        stale=stale, gate=gate, gate_detail=error.detail if isinstance(error, GateRefused) else "",
        current=current if stale is not None else None, notices=notices or [], missing=missing or [],
    ), status


def _saved(case: Case, message: str, anchor: str | None = None):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor=anchor))


# --- the list and the case page --------------------------------------------------------------------------


def _filter(form: CaseFilterForm) -> CaseFilter:
    def valid(field: Any) -> str | None:
        allowed = {value for value, *_ in field.choices}
        return field.data if field.data and field.data in allowed else None

    status = valid(form.status)
    return CaseFilter(
        status=status if status != ALL_STATUSES else None,
        include_closed=status is not None,
        overdue={"ja": True, "nee": False}.get(valid(form.overdue) or ""),
        stage=valid(form.stage),
        gemeente_code=valid(form.gemeente),
        school_brin=valid(form.school),
    )


# The list's columns: (sort key from queries.CASE_SORTS or None, header). "Volgende termijn" is computed per row
# from the steps, so it does not sort.
LIST_COLUMNS = (("casus", "Casus"), ("leerling", "Leerling"), ("gemeente", "Gemeente"), (None, "School"),
                ("stap", "Verste stap"), ("terugkeerdoel", "Terugkeerdoel"), (None, "Volgende termijn"),
                (None, "Termijn"), ("status", "Status"), (None, "Signalen"))
# The query arguments of the order: CaseOrderForm's field names.
SORT_ARG, DIRECTION_ARG, DESCENDING = "sorteer", "richting", "af"


@dataclass(frozen=True)
class ListHeader:
    label: str
    url: str | None  # the link that sorts on this column (the other way round when it is sorted on already)
    aria_sort: str | None  # "ascending"/"descending" on the sorted column


def _headers(filter_args: dict[str, str], sort: str, descending: bool) -> list[ListHeader]:
    headers = []
    for key, label in LIST_COLUMNS:
        if key is None:
            headers.append(ListHeader(label, None, None))
            continue
        current = key == sort
        flip = {DIRECTION_ARG: DESCENDING} if current and not descending else {}
        url = url_for("cases.index", **filter_args, **{SORT_ARG: key}, **flip)
        headers.append(ListHeader(label, url, ("descending" if descending else "ascending") if current else None))
    return headers


@bp.route("")
def index():
    form = CaseFilterForm(request.args)
    gemeenten, schools = filter_choices(current_user)
    form.gemeente.choices = [("", "Alle"), *((g.code, g.name) for g in gemeenten)]
    form.school.choices = [("", "Alle"), *((s.brin, f"{s.name} ({s.brin})") for s in schools)]
    flt = _filter(form)
    sort = request.args.get(SORT_ARG, DEFAULT_SORT)
    sort = sort if sort in CASE_SORTS else DEFAULT_SORT
    descending = request.args.get(DIRECTION_ARG) == DESCENDING
    day = today()
    page = paginate_cases(current_user, flt, day, sort=sort, descending=descending)
    args = {name: value for name, value in request.args.items() if name in form._fields and value}
    order_args = {SORT_ARG: sort, **({DIRECTION_ARG: DESCENDING} if descending else {})} \
        if sort != DEFAULT_SORT or descending else {}
    sorted_by = next(label for key, label in LIST_COLUMNS if key == sort)
    order = CaseOrderForm(data={SORT_ARG: sort, DIRECTION_ARG: DESCENDING if descending else ""})
    order.sorteer.choices = [(key, label) for key, label in LIST_COLUMNS if key is not None]
    html = render_template("cases/index.html", page=page, rows=case_rows(list(page.items), day, terms()), form=form,
                           page_args={**args, **order_args}, order_args=order_args,
                           filtered=bool(args), spec=spec, headers=_headers(args, sort, descending),
                           sorted_by=sorted_by, descending=descending, order=order)
    # Logged after rendering, so the write lock is held only for the append itself.
    record_list_read("case.list", actor_id=current_user.id, activity=read_activity(current_user.role),
                     case_ids=[case.id for case in page.items], listed_on=request.path)
    db.session.commit()
    return html


@bp.route("/zoeken", methods=["GET", "POST"])
def search():
    """The search box's page. The query comes only from the posted form, never from the address (it may be a
    name or a BSN); a GET shows the empty form."""
    require(current_user, Capability.SEARCH_CASES)
    form = SearchForm()

    def page(refusal: Refusal | None = None, found: Any = None):
        status = refusal.status if refusal else 200
        rows = case_rows(list(found.items), today()) if found is not None else None
        return render_template("cases/search.html", form=form, found=found, rows=rows, spec=spec), status

    if not form.validate_on_submit():
        return page()
    refusals_shown_on(form, page)
    terms = interpret(form.q.data)
    found = paginate_cases(current_user, CaseFilter(search=terms), today(), page=form.page_number())
    html = page(found=found)
    # One event for the search, naming the cases it showed, never what was typed (cases/search.py).
    record_search(terms, actor_id=current_user.id, activity=read_activity(current_user.role),
                  case_ids=[case.id for case in found.items], listed_on=request.path)
    db.session.commit()
    return html


@bp.route("/<int:case_id>")
def show(case_id: int):
    case = get_case_for_page(current_user, case_id)
    record("case.read", actor_id=current_user.id, activity=read_activity(current_user.role), case_id=case.id,
           object_type="case", object_id=case.id)
    day = today()
    facts = case_facts(case, day, terms())
    steps_by_kind = {kind: [(s, step_summary(s)) for s in facts.steps if s.step.kind == kind]
                     for kind in spec.STEP_KINDS}
    primary, other_actions = case_actions(case, facts)
    page = render_template(
        "cases/show.html", case=case, facts=facts, spec=spec, steps_by_kind=steps_by_kind,
        chain_by_kind={stage.kind: stage for stage in facts.chain}, list_phrase=list_phrase,
        primary=primary, other_actions=other_actions,
        timeline=case_timeline(case), can_edit=can(current_user, Capability.EDIT_CASES),
        can_download_summary=can(current_user, Capability.DOWNLOAD_SUMMARY),
        state_labels=CHAIN_STATE_LABELS, age=age_on(case.pupil.date_of_birth, day),
    )
    # Commit the read event after rendering, so the page works on the loaded objects (no reloads).
    db.session.commit()
    return page


# --- registering and editing a case ---------------------------------------------------------------------


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    require(current_user, Capability.EDIT_CASES)
    form = NewCaseForm()
    swvs = current_user.swvs
    form.swv_code.choices = [(s.code, f"{s.code} {s.name}") for s in swvs]
    if len(swvs) != 1:
        form.swv_code.choices.insert(0, ("", "Kies een samenwerkingsverband"))
    form.gemeente_code.choices = _gemeente_choices("Kies een gemeente")
    form.school_brin.choices = _school_choices("Niet ingeschreven of onbekend")

    def page(refusal: Refusal | None = None):
        return _render_form(form, refusal, title="Nieuwe casus", submit="Casus registreren",
                            intro="Registreer een leerling die thuiszit, of als signaal een leerling die dreigt "
                                  "thuis te komen zitten.")

    def data() -> CaseInput:
        return CaseInput(
            first_name=form.first_name.data or "", last_name=form.last_name.data or "",
            date_of_birth=form.date_of_birth.data, gemeente_code=form.gemeente_code.data or "",
            swv_code=form.swv_code.data or "", absence_kind=form.absence_kind.data or "",
            out_of_school_since=form.out_of_school_since.data, bsn=_optional(form.bsn.data),
            school_brin=_optional(form.school_brin.data), note=_optional(form.note.data),
            status=form.status.data or "open",
        )

    if form_accepted(form, page, check=lambda: check_new_case(data(), actor=current_user, today=today())):
        case = create_case(data(), actor=current_user, today=today())
        return _saved(case, f"Casus {case.reference} is geregistreerd.")
    return page()


def _case_initial(case: Case) -> dict[str, Any]:
    return {
        "first_name": case.pupil.first_name, "last_name": case.pupil.last_name,
        "date_of_birth": case.pupil.date_of_birth, "bsn": case.pupil.bsn,
        "gemeente_code": case.gemeente.code, "school_brin": case.school.brin if case.school else "",
        "absence_kind": case.absence_kind, "out_of_school_since": case.out_of_school_since,
        "version": str(case.version),
    }


@bp.route("/<int:case_id>/bewerken", methods=["GET", "POST"])
def edit(case_id: int):
    case = _editable_case(case_id)
    form = EditCaseForm(data=None if request.method == "POST" else _case_initial(case))
    form.gemeente_code.choices = _gemeente_choices()
    form.school_brin.choices = _school_choices("Niet ingeschreven of onbekend")

    def page(refusal: Refusal | None = None):
        return _render_form(form, refusal, title=f"Casus {case.reference} bewerken", submit="Opslaan", case=case,
                            current=current_values(form, lambda name: case_value(case, name)))

    def values() -> dict[str, Any]:
        return {
            "first_name": form.first_name.data or "", "last_name": form.last_name.data or "",
            "date_of_birth": form.date_of_birth.data, "bsn": _optional(form.bsn.data),
            "gemeente_code": form.gemeente_code.data, "school_brin": _optional(form.school_brin.data),
            "absence_kind": form.absence_kind.data, "out_of_school_since": form.out_of_school_since.data,
            "note": _optional(form.note.data),
        }

    if form_accepted(form, page, check=lambda: check_case_update(case, values(), actor=current_user, today=today())):
        update_case(case, values(), expected_version=form.expected_version(), actor=current_user, today=today())
        return _saved(case, "De casusgegevens zijn opgeslagen.")
    return page()


@bp.route("/<int:case_id>/overdragen", methods=["GET", "POST"])
def transfer(case_id: int):
    case = _editable_case(case_id)
    form = TransferCaseForm(data=None if request.method == "POST" else {"version": str(case.version)})
    # The choices must not depend on what another user can change meanwhile: a form posted against an older version
    # (the case was transferred to the chosen swv in between) must get the stale-edit page, not "not a valid
    # choice". The service refuses the case's own swv beside the field.
    query = select(Swv).order_by(Swv.code)
    others = db.session.scalars(query if request.method == "POST" else query.where(Swv.id != case.swv_id)).all()
    form.swv_code.choices = [("", "Kies een samenwerkingsverband"), *((s.code, f"{s.code} {s.name}") for s in others)]
    form.gemeente_code.choices = _gemeente_choices(f"Ongewijzigd ({case.gemeente.name})")

    def page(refusal: Refusal | None = None):
        return _render_form(
            form, refusal, title=f"Casus {case.reference} overdragen", submit="Overdragen", case=case,
            intro="Draag de casus over aan een ander samenwerkingsverband als de leerling is verhuisd. De "
                  "geschiedenis gaat mee; daarna ziet u de casus niet meer, tenzij u ook voor dat "
                  "samenwerkingsverband werkt.",
            current=current_values(form, lambda name: case_value(case, name)),
        )

    def values() -> dict[str, Any]:
        return {"swv_code": form.swv_code.data or "", "gemeente_code": _optional(form.gemeente_code.data),
                "reason": form.reason.data or ""}

    if form_accepted(form, page, check=lambda: check_transfer(case, **values(), actor=current_user)):
        transfer_case(case, **values(), expected_version=form.expected_version(), actor=current_user, today=today())
        reference, swv_code = case.reference, case.swv.code
        db.session.commit()
        flash(f"Casus {reference} is overgedragen aan {swv_code}.", "success")
        if case.swv_id in current_user.swv_ids:
            return redirect(url_for("cases.show", case_id=case.id))
        return redirect(url_for("cases.index"))
    return page()


@bp.route("/<int:case_id>/sluiten", methods=["GET", "POST"])
def close(case_id: int):
    case = _editable_case(case_id)
    form = CloseCaseForm(data=None if request.method == "POST" else {"version": str(case.version)})
    form.school_brin.choices = _school_choices("Geen school")
    # A signal closes only as "geen thuiszitter", and only a signal does (DOMAIN.md, outcomes).
    fitting = spec.SIGNAL_OUTCOMES if case.status == "signaal" else spec.CASE_OUTCOMES
    form.outcome.choices = [(code, spec.OUTCOME_LABELS[code]) for code in fitting]
    what = "Signaal" if case.status == "signaal" else "Casus"

    def page(refusal: Refusal | None = None):
        return _render_form(form, refusal, title=f"{what} {case.reference} sluiten", submit=f"{what} sluiten",
                            case=case, current=[("Status", spec.STATUS_LABELS[case.status])],
                            intro=_close_intro(case.status))

    def values() -> dict[str, Any]:
        return {"outcome": form.outcome.data or "", "offer_started_on": form.offer_started_on.data,
                "closed_on": form.closed_on.data, "school_brin": _optional(form.school_brin.data),
                "note": _optional(form.note.data)}

    if form_accepted(form, page, check=lambda: check_close(case, **values(), actor=current_user, today=today())):
        close_case(case, **values(), expected_version=form.expected_version(), actor=current_user, today=today())
        return _saved(case, f"Casus {case.reference} is gesloten.")
    return page()


def _close_intro(status: str) -> str:
    if status == "signaal":
        return ("Sluit het signaal als de leerling niet thuis is komen te zitten. Zit de leerling inmiddels thuis, "
                "leg dan bij 'Gegevens bewerken' de eerste dag thuis vast: het signaal wordt dan een open casus.")
    offers = ", ".join(spec.OUTCOME_LABELS[code].lower() for code in spec.OFFER_OUTCOMES)
    return (f"Alleen een passend aanbod ({offers}) telt mee voor het doel van drie maanden; vul dan de startdatum "
            f"van het aanbod in. Bij de andere uitkomsten vult u alleen de datum van afsluiting in: zij staan naast "
            f"het percentage 'doel gehaald', nooit erin.")


@bp.route("/<int:case_id>/heropenen", methods=["GET", "POST"])
def reopen(case_id: int):
    case = _editable_case(case_id)
    form = ReopenCaseForm(data=None if request.method == "POST" else {"version": str(case.version)})

    def page(refusal: Refusal | None = None):
        return _render_form(form, refusal, title=f"Casus {case.reference} heropenen", submit="Casus heropenen",
                            case=case, intro="De geschiedenis van de casus blijft bewaard.",
                            current=[("Status", spec.STATUS_LABELS[case.status])])

    if form.validate_on_submit():
        refusals_shown_on(form, page)
        reopen_case(case, reason=form.reason.data or "", expected_version=form.expected_version(),
                    actor=current_user, today=today())
        return _saved(case, f"Casus {case.reference} is heropend.")
    return page()


# --- steps ---------------------------------------------------------------------------------------------


def _step_values(form: Any, kind: str) -> dict[str, Any]:
    return {f.name: _optional(form[f.name].data) for f in spec.step_fields(kind)}


def _initial(step: Any, field: spec.Field) -> Any:
    """A stored value as its form field wants it: "" selects a list's empty option, or no school."""
    value = getattr(step, field.name)
    optional_choice = isinstance(field.type, spec.Choice) and field.type.empty_label is not None
    if value is None and (optional_choice or isinstance(field.type, spec.SchoolRef)):
        return ""
    return value


def _step_form(kind: str, initial: dict[str, Any] | None) -> Any:
    form = STEP_FORMS[kind](data=None if request.method == "POST" else initial)
    if "school_brin" in form._fields:
        form.school_brin.choices = _school_choices("Onbekend")
    return form


@bp.route("/<int:case_id>/stappen/nieuw/<kind>", methods=["GET", "POST"])
def new_step(case_id: int, kind: str):
    case = _editable_case(case_id)
    if kind not in STEP_FORMS:
        abort(404)
    form = _step_form(kind, {"version": str(case.version)})

    def page(refusal: Refusal | None = None):
        notices = []
        if case.status == "closed" and refusal is None:
            notices.append("Deze casus is gesloten. Heropen de casus om een stap vast te leggen.")
        # For the interventieteam the gate, not the order, is what matters (shown below the title).
        predecessors = missing_predecessors(kind, case.steps) if kind != "interventieteam" else []
        if predecessors:
            names = ", ".join(spec.STEP_LABELS[k].lower() for k in predecessors)
            notices.append(f"Deze stap komt eerder dan verwacht: er is nog geen {names}. Vul bij 'Reden voor de "
                           f"afwijkende volgorde' in waarom.")
        missing = []
        if kind == "interventieteam":
            missing = [spec.STEP_LABELS[k] for k in interventieteam_missing_steps(case.steps, today(), terms())]
        return _render_form(form, refusal, title=f"{spec.STEP_LABELS[kind]} vastleggen", submit="Stap vastleggen",
                            case=case, notices=notices, missing=missing)

    def check() -> None:
        check_new_step(case, kind, _step_values(form, kind), actor=current_user, today=today())

    if form_accepted(form, page, check=check):
        add_step(case, kind, _step_values(form, kind), expected_version=form.expected_version(), actor=current_user,
                 today=today())
        return _saved(case, f"De stap '{spec.STEP_LABELS[kind]}' is vastgelegd.", anchor="keten")
    return page()


@bp.route("/<int:case_id>/stappen/<int:step_id>", methods=["GET", "POST"])
def edit_step(case_id: int, step_id: int):
    case = _editable_case(case_id)
    step = next((s for s in case.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    initial = {f.name: _initial(step, f) for f in spec.step_fields(step.kind)}
    initial["version"] = str(case.version)
    form = _step_form(step.kind, initial)
    kind = step.kind

    def page(refusal: Refusal | None = None):
        notices = []
        if case.status == "closed" and refusal is None:
            notices.append("Deze casus is gesloten. Heropen de casus om een stap te wijzigen.")
        return _render_form(form, refusal, title=f"{spec.STEP_LABELS[kind]} bewerken", submit="Opslaan",
                            case=case, notices=notices,
                            current=current_values(form, lambda name: step_value(step, name)))

    def check() -> None:
        check_step_update(case, step, _step_values(form, kind), actor=current_user, today=today())

    if form_accepted(form, page, check=check):
        update_step(case, step.id, _step_values(form, kind), expected_version=form.expected_version(),
                    actor=current_user, today=today())
        return _saved(case, f"De stap '{spec.STEP_LABELS[kind]}' is opgeslagen.", anchor="keten")
    return page()
