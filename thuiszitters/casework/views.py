"""The network's and the journal's pages, and their sections on the case page.

The case page (cases/views.py, lower in the dependency order) includes `casework/_network.html` and
`casework/_journal.html`; their data comes from the template globals `case_network` and `case_journal` below, which
also log the read (the case page commits after rendering). The forms load the case (404 outside the scope),
authorize (403), and call one service; refusals are drawn beside the fields by http/errors.py.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from thuiszitters.cases.models import Case
from thuiszitters.cases.queries import get_case_for_page
from thuiszitters.casework import plan_services, presenters, rules, services
from thuiszitters.casework.forms import JournalEntryForm, ParticipantForm, consent_choice
from thuiszitters.clock import today
from thuiszitters.errors import Forbidden, InvalidParam, StaleVersion
from thuiszitters.extensions import db
from thuiszitters.http.errors import Refusal, refusals_shown_on
from thuiszitters.identifiers import display_phone
from thuiszitters.permissions import Capability, can, require

bp = Blueprint("casework", __name__, url_prefix="/casussen")


@bp.before_request
def only_case_readers():
    require(current_user, Capability.READ_CASES)


# --- the sections of the case page ----------------------------------------------------------------------------


@bp.app_template_global("case_network")
def case_network(case: Case) -> dict[str, Any]:
    people = services.network(case)
    if people:
        services.record_network_read(case, current_user)
    can_edit = can(current_user, Capability.EDIT_CASES)
    return {"participants": [presenters.participant_card(p) for p in people], "can_edit": can_edit,
            "suggestions": services.suggestions(case, people) if can_edit else []}


@bp.app_template_global("case_journal")
def case_journal(case: Case, kind: str | None) -> dict[str, Any]:
    kind = kind if kind in (*rules.JOURNAL_KINDS, presenters.CHAIN_FILTER) else None
    stream = presenters.stream(case, kind, current_user)
    if any(item.entry is not None for item in stream):
        services.record_journal_read(case, current_user)
    if any(item.meeting is not None for item in stream):
        plan_services.record_meetings_read(case, current_user)
    return {"stream": stream, "kind": kind, "kinds": rules.JOURNAL_KIND_LABELS,
            "chain_filter": presenters.CHAIN_FILTER, "can_write": can(current_user, Capability.WRITE_JOURNAL)}


# --- helpers ----------------------------------------------------------------------------------------------------


def _show_rule_problems(form: Any, problems: list[InvalidParam]) -> None:
    """Beside the fields the form could not read, the rules' messages for the other fields: one round."""
    for problem in problems:
        field = form._fields.get(problem.name)
        if field is not None and not field.errors:
            field.errors = [*field.errors, problem.reason]


def _form_page(form: Any, refusal: Refusal | None, *, case: Case, title: str, submit: str,
               intro: str | None = None, remove_url: str | None = None, history: list[Any] | None = None):
    error = refusal.error if refusal else None
    stale = presenters.stale_changes(error.changes) if isinstance(error, StaleVersion) else None
    status = refusal.status if refusal else (400 if form.is_submitted() else 200)
    return render_template("casework/form.html", form=form, case=case, title=title, submit=submit, intro=intro,
                           stale=stale, stale_title=error.title if isinstance(error, StaleVersion) else "",
                           remove_url=remove_url, history=history or []), status


def _saved(case: Case, message: str, anchor: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor=anchor))


def _network_case(case_id: int) -> Case:
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.EDIT_CASES)
    return case


# --- the network ------------------------------------------------------------------------------------------------


@bp.route("/<int:case_id>/netwerk/nieuw", methods=["GET", "POST"])
def new_participant(case_id: int):
    case = _network_case(case_id)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        chosen = request.args.get("voorstel")
        suggestion = next((s for s in services.suggestions(case, services.network(case)) if s["key"] == chosen),
                          None)
        if suggestion:
            initial = {k: suggestion[k] for k in ("role", "name", "organisation", "email")}
    form = ParticipantForm(data=initial or None)

    def page(refusal: Refusal | None = None):
        return _form_page(form, refusal, case=case, title="Betrokkene toevoegen", submit="Toevoegen",
                          intro="Leg vast wie er rond de leerling betrokken is. Contactgegevens zijn "
                                "persoonsgegevens: vul alleen in wat u voor de casus nodig heeft.")

    if form.is_submitted():
        if not form.validate():
            _show_rule_problems(form, rules.check_participant(form.values())[1])
            return page()
        refusals_shown_on(form, page)
        participant = services.add_participant(case, form.values(), actor=current_user)
        return _saved(case, f"{participant.name} is toegevoegd aan het netwerk.", "netwerk")
    return page()


@bp.route("/<int:case_id>/netwerk/<int:participant_id>", methods=["GET", "POST"])
def edit_participant(case_id: int, participant_id: int):
    case = _network_case(case_id)
    participant = services.get_participant(case, participant_id)
    initial = {name: getattr(participant, name) or "" for name in rules.PARTICIPANT_FIELDS}
    initial["consent_to_share"] = consent_choice(participant.consent_to_share)
    initial["phone"] = display_phone(participant.phone) if participant.phone else ""
    initial["version"] = str(participant.version)
    form = ParticipantForm(data=None if request.method == "POST" else initial)
    services.record_network_read(case, current_user)  # the form shows the contact details

    def page(refusal: Refusal | None = None):
        return _form_page(form, refusal, case=case, title=f"{participant.name} bewerken", submit="Opslaan",
                          remove_url=url_for("casework.remove_participant", case_id=case.id,
                                             participant_id=participant.id))

    if form.is_submitted():
        if not form.validate():
            _show_rule_problems(form, rules.check_participant(form.values())[1])
            return page()
        refusals_shown_on(form, page)
        services.update_participant(participant, form.values(), expected_version=form.expected_version(),
                                    actor=current_user)
        return _saved(case, f"De gegevens van {participant.name} zijn opgeslagen.", "netwerk")
    db.session.commit()  # the logged read
    return page()


@bp.route("/<int:case_id>/netwerk/<int:participant_id>/verwijderen", methods=["POST"])
def remove_participant(case_id: int, participant_id: int):
    case = _network_case(case_id)
    participant = services.get_participant(case, participant_id)
    form = ParticipantForm()
    name = participant.name
    services.remove_participant(participant, expected_version=form.expected_version(), actor=current_user)
    return _saved(case, f"{name} is uit het netwerk verwijderd. Journaalberichten blijven de naam noemen.",
                  "netwerk")


# --- the journal ------------------------------------------------------------------------------------------------


def _participant_choices(case: Case, also: list[Any] = ()) -> list[tuple[int, str]]:
    people = {p.id: p for p in [*services.network(case), *also]}
    return [(p.id, presenters.participant_label(p)) for p in people.values()]


def _no_network_hint(form: JournalEntryForm) -> None:
    if not form.participant_ids.choices:
        form.participant_ids.description = "Er staat nog niemand in het netwerk van deze casus."


@bp.route("/<int:case_id>/journaal/nieuw", methods=["GET", "POST"])
def new_entry(case_id: int):
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.WRITE_JOURNAL)
    form = JournalEntryForm(data=None if request.method == "POST" else {"occurred_on": today()})
    form.participant_ids.choices = _participant_choices(case)
    _no_network_hint(form)

    def page(refusal: Refusal | None = None):
        return _form_page(form, refusal, case=case, title="Journaalbericht schrijven", submit="Opslaan",
                          intro="Leg vast wie u sprak, wanneer, en wat er besproken of afgesproken is.")

    if form.is_submitted():
        if not form.validate():
            _show_rule_problems(form, services.check_entry(case, form.values(), today())[1])
            return page()
        refusals_shown_on(form, page)
        services.add_entry(case, form.values(), actor=current_user, today=today())
        return _saved(case, "Het journaalbericht is opgeslagen.", "journaal")
    return page()


@bp.route("/<int:case_id>/journaal/<int:entry_id>", methods=["GET", "POST"])
def correct_entry(case_id: int, entry_id: int):
    case = get_case_for_page(current_user, case_id)
    require(current_user, Capability.WRITE_JOURNAL)
    entry = services.get_entry(case, entry_id)
    if not services.may_correct(entry, current_user):
        raise Forbidden("Alleen wie het journaalbericht schreef, kan het corrigeren.")
    initial = {"occurred_on": entry.occurred_on, "kind": entry.kind, "participant_ids": entry.participant_ids,
               "summary": entry.summary, "version": str(entry.version)}
    form = JournalEntryForm(data=None if request.method == "POST" else initial)
    form.participant_ids.choices = _participant_choices(case, entry.participants)
    _no_network_hint(form)
    services.record_journal_read(case, current_user)

    def page(refusal: Refusal | None = None):
        return _form_page(form, refusal, case=case, title="Journaalbericht corrigeren", submit="Correctie opslaan",
                          intro="De eerdere tekst blijft leesbaar bij het bericht.",
                          history=presenters.revisions(entry))

    if form.is_submitted():
        if not form.validate():
            _show_rule_problems(form, services.check_entry(case, form.values(), today(), entry)[1])
            return page()
        refusals_shown_on(form, page)
        services.correct_entry(entry, form.values(), expected_version=form.expected_version(), actor=current_user,
                               today=today())
        return _saved(case, "De correctie is opgeslagen; de eerdere tekst blijft leesbaar.", "journaal")
    db.session.commit()
    return page()
