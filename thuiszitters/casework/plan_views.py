"""The plan van aanpak's and the meetings' pages (on the casework blueprint), and the plan's section on the case page.

The case page includes `casework/_plan.html`, whose data come from the template global `case_plan` (which logs the
read). Each form loads the case (404 outside the scope), authorizes (403), checks with the rules (every wrong field
in one round, beside its field) and calls one service.
"""
from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user

from thuiszitters.cases.models import Case
from thuiszitters.cases.queries import get_case_for_page
from thuiszitters.casework import plan_presenters, plan_services, presenters, services
from thuiszitters.casework.models import Action
from thuiszitters.casework.plan_forms import (
    OWNER_FIELDS,
    ActionForm,
    ActionUpdateForm,
    MeetingForm,
    owner_choices,
    owner_value,
)
from thuiszitters.casework.views import _saved, _show_rule_problems, bp
from thuiszitters.clock import today
from thuiszitters.errors import Forbidden, InvalidParam, StaleVersion
from thuiszitters.extensions import db
from thuiszitters.http.errors import Refusal, refusals_shown_on
from thuiszitters.permissions import ROLE_LABELS, Capability, can, require
from thuiszitters.text import format_date_nl

CLOSED = plan_services.CLOSED


@bp.app_template_global("case_plan")
def case_plan(case: Case) -> dict[str, Any]:
    day = today()
    found = plan_services.actions(case)
    if found:
        plan_services.record_plan_read(case, current_user)
    rows = [plan_presenters.action_view(a, day, plan_services.may_update(a, current_user)) for a in found]
    return {"actions": rows, "overdue": sum(1 for row in rows if row.overdue),
            "can_add": can(current_user, Capability.WRITE_PLAN) and case.status != CLOSED,
            "can_record_meeting": can(current_user, Capability.WRITE_PLAN)}


# --- helpers ----------------------------------------------------------------------------------------------------


def _choices(case: Case, keep: Action | None = None) -> list[Any]:
    """The owner select's options for a case; ``keep``: an action whose current owner stays a choice even when it
    is no longer one (a user who lost sight of the case, a participant since removed from the network)."""
    users = [(u.id, f"{u.name} ({ROLE_LABELS.get(u.role, u.role)})") for u in plan_services.possible_owners(case)]
    people = [(p.id, presenters.participant_label(p)) for p in services.network(case)]
    if keep is not None and keep.owner_user_id is not None and keep.owner_user_id not in dict(users):
        users.append((keep.owner_user_id, plan_presenters.owner_label(keep)))
    if keep is not None and keep.owner_participant_id is not None and keep.owner_participant_id not in dict(people):
        people.append((keep.owner_participant_id, plan_presenters.owner_label(keep)))
    return owner_choices(users, people)


def _owner_problems(problems: list[InvalidParam]) -> list[InvalidParam]:
    """The rules name an owner problem after an owner attribute; the form has one owner select."""
    return [InvalidParam(OWNER_FIELDS.get(x.name, x.name), x.code, x.reason) for x in problems]


def _page(form: Any, refusal: Refusal | None, *, case: Case, title: str, submit: str, intro: str | None = None,
          template: str = "casework/form.html", **extra: Any):
    error = refusal.error if refusal else None
    stale = plan_presenters.stale_changes(error.changes) if isinstance(error, StaleVersion) else None
    status = refusal.status if refusal else (400 if form.is_submitted() else 200)
    return render_template(template, form=form, case=case, title=title, submit=submit, intro=intro, stale=stale,
                           stale_title=error.title if isinstance(error, StaleVersion) else "", remove_url=None,
                           history=[], **extra), status


# --- actions ----------------------------------------------------------------------------------------------------


@bp.route("/<int:case_id>/plan/nieuw", methods=["GET", "POST"])
def new_action(case_id: int):
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.WRITE_PLAN)
    form = ActionForm()
    form.owner.choices = _choices(case)
    closed_intro = "Deze casus is gesloten: er kunnen geen nieuwe acties bij. Heropen de casus als er nog iets " \
                   "moet gebeuren." if case.status == CLOSED else None

    def page(refusal: Refusal | None = None):
        return _page(form, refusal, case=case, title="Actie toevoegen", submit="Toevoegen",
                     intro=closed_intro or "Een actie van het plan van aanpak: wat, wie en uiterlijk wanneer.")

    if form.is_submitted():
        if case.status == CLOSED:
            form.form_errors.append(closed_intro)
            return page()
        valid = form.validate()
        problems = _owner_problems(plan_services.check_action(case, form.values(), today())[1])
        _show_rule_problems(form, problems)
        if not valid or problems:
            return page()
        refusals_shown_on(form, page, field_names=OWNER_FIELDS)
        plan_services.add_action(case, form.values(), actor=current_user, today=today())
        return _saved(case, "De actie is toegevoegd aan het plan van aanpak.", "plan")
    return page()


def _editable(case: Case, action_id: int) -> Action:
    require(current_user, Capability.COMPLETE_OWN_ACTIONS)
    action = plan_services.get_action(case, action_id)
    if not plan_services.may_update(action, current_user):
        raise Forbidden("U kunt alleen de status van uw eigen acties wijzigen.")
    return action


@bp.route("/<int:case_id>/plan/<int:action_id>", methods=["GET", "POST"])
def edit_action(case_id: int, action_id: int):
    case = get_case_for_page(current_user, case_id)
    action = _editable(case, action_id)
    initial = {"description": action.description,
               "owner": owner_value(action.owner_user_id, action.owner_participant_id), "status": action.status,
               "done_on": action.done_on, "due_on": action.due_on, "version": str(action.version)}
    form = ActionUpdateForm(data=None if request.method == "POST" else initial)
    if can(current_user, Capability.WRITE_PLAN):
        form.owner.choices = _choices(case, keep=action)
    else:
        for name in ActionUpdateForm.COORDINATOR_ONLY:  # leerplicht marks its own action done
            delattr(form, name)
    owner = plan_presenters.owner_label(action)

    def page(refusal: Refusal | None = None):
        return _page(form, refusal, case=case, title="Actie bijwerken", submit="Opslaan",
                     intro=f"{action.description} (eigenaar: {owner}; uiterlijk {format_date_nl(action.due_on)})")

    if form.is_submitted():
        valid = form.validate()
        problems = _owner_problems(plan_services.check_update(action, form.values(), today())[1])
        _show_rule_problems(form, problems)
        if not valid or problems:
            return page()
        refusals_shown_on(form, page, field_names=OWNER_FIELDS)
        plan_services.update_action(action, form.values(), expected_version=form.expected_version(),
                                    actor=current_user, today=today())
        return _saved(case, "De actie is bijgewerkt.", "plan")
    plan_services.record_plan_read(case, current_user)
    db.session.commit()
    return page()


# --- meetings ---------------------------------------------------------------------------------------------------


@bp.route("/<int:case_id>/overleg/nieuw", methods=["GET", "POST"])
def new_meeting(case_id: int):
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.WRITE_PLAN)
    form = MeetingForm(data=None if request.method == "POST" else {"held_on": today()})
    form.participant_ids.choices = [(p.id, presenters.participant_label(p)) for p in services.network(case)]
    if not form.participant_ids.choices:
        form.participant_ids.description = "Er staat nog niemand in het netwerk van deze casus."
    choices = _choices(case)
    for row in form.agreements:
        row.form.owner.choices = choices

    def page(refusal: Refusal | None = None):
        return _page(form, refusal, case=case, title="Overleg vastleggen", submit="Overleg en afspraken opslaan",
                     template="casework/meeting_form.html", closed=case.status == CLOSED,
                     intro="Leg het overleg vast met de afspraken die zijn gemaakt. Elke afspraak wordt een actie "
                           "van het plan van aanpak. Lege regels worden overgeslagen.")

    if form.is_submitted():
        valid = form.validate()
        _, _, problems = plan_services.check_meeting(case, form.values(), form.agreement_values(), today())
        _show_meeting_problems(form, problems)
        if not valid or problems:
            return page()
        refusals_shown_on(form, page)
        meeting = plan_services.add_meeting(case, form.values(), form.agreement_values(), actor=current_user,
                                            today=today())
        count = len(meeting.actions)
        return _saved(case, f"Het overleg is vastgelegd, met {count} afspra{'ak' if count == 1 else 'ken'}.",
                      "plan")
    return page()


def _show_meeting_problems(form: MeetingForm, problems: list[InvalidParam]) -> None:
    """The meeting's problems beside its fields, an agreement's beside its row's field."""
    top = []
    for problem in problems:
        if problem.name.startswith("agreements."):
            _, index, name = problem.name.split(".", 2)
            row = form.agreements[int(index)].form
            field = row._fields.get(OWNER_FIELDS.get(name, name))
            if field is not None and not field.errors:
                field.errors = [*field.errors, problem.reason]
        elif problem.name == "agreements":
            form.form_errors.append(problem.reason)
        else:
            top.append(problem)
    _show_rule_problems(form, top)
