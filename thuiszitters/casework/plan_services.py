"""The plan van aanpak and the meetings: changes with their audit events in the same transaction, the logged reads,
and `open_actions_for`, the werkvoorraad's source of a user's open actions.

Services never see the request and never commit. A refusal raises a thuiszitters.errors exception: every wrong field
at once (ValidationFailed), CaseClosed for a new action on a closed case, Forbidden for a role that may not.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.orm import selectinload

from thuiszitters import versioning
from thuiszitters.accounts.models import User, user_gemeente, user_swv
from thuiszitters.audit.services import read_activity, record
from thuiszitters.cases.models import Case
from thuiszitters.cases.scope import case_scope_clause
from thuiszitters.casework import plan_rules as rules
from thuiszitters.casework.models import Action, Meeting, Participant
from thuiszitters.casework.services import _changes, _history, _raise_if, earliest_day
from thuiszitters.clock import now_utc
from thuiszitters.errors import CaseClosed, Forbidden, NotFound
from thuiszitters.extensions import column_rows, db
from thuiszitters.permissions import Capability, can, require, roles_with

versioning.explain_changes_with(Action, _history("case_action"), called="deze actie")
# A meeting is recorded once and not edited (yet); it carries a version like every casework object, so a later
# edit explains a stale save from the start.
versioning.explain_changes_with(Meeting, _history("meeting"), called="dit overleg")

CLOSED = "closed"


# --- who may own an action --------------------------------------------------------------------------------------


def possible_owners(case: Case) -> list[User]:
    """The active users who can see the case (and so may own one of its actions), by name: the coordinators of
    its swv and the leerplicht of its gemeente, as the scope (cases.scope) decides."""
    by_swv = select(user_swv.c.user_id).where(user_swv.c.swv_id == case.swv_id)
    by_gemeente = select(user_gemeente.c.user_id).where(user_gemeente.c.gemeente_id == case.gemeente_id)
    readers = roles_with(Capability.READ_CASES)
    return list(db.session.scalars(
        select(User).where(
            User.active.is_(True), User.role.in_(sorted(readers)),
            or_(and_(User.role.in_(sorted(roles_with(Capability.CASES_OF_SWV) & readers)), User.id.in_(by_swv)),
                and_(User.role.in_(sorted(roles_with(Capability.CASES_OF_GEMEENTE) & readers)),
                     User.id.in_(by_gemeente))))
        .order_by(User.name, User.id)
    ))


def _network_ids(case: Case) -> set[int]:
    return set(db.session.scalars(select(Participant.id).where(Participant.case_id == case.id,
                                                               Participant.removed_at.is_(None))))


# --- the plan ---------------------------------------------------------------------------------------------------


def actions(case: Case) -> list[Action]:
    """The case's actions: open ones first by due date, then the finished ones, newest due first."""
    found = db.session.scalars(
        select(Action).where(Action.case_id == case.id)
        .options(selectinload(Action.owner_user), selectinload(Action.owner_participant),
                 selectinload(Action.meeting))
    ).all()
    open_ = sorted((a for a in found if a.status == rules.OPEN), key=lambda a: (a.due_on, a.id))
    rest = sorted((a for a in found if a.status != rules.OPEN), key=lambda a: (a.due_on, a.id), reverse=True)
    return [*open_, *rest]


def get_action(case: Case, action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None or action.case_id != case.id:
        raise NotFound()
    return action


def record_plan_read(case: Case, reader: User) -> None:
    """The plan (actions, who owns them) was shown: a read of the case's data."""
    record("plan.read", actor_id=reader.id, activity=read_activity(reader.role), case_id=case.id,
           object_type="plan", object_id=case.id)


def check_action(case: Case, values: dict[str, Any], today: date, *, prefix: str = ""
                 ) -> tuple[dict[str, Any], list[Any]]:
    owners = {user.id for user in possible_owners(case)}
    merged = {name: values.get(name) for name in rules.ACTION_FIELDS}
    return rules.check_action(merged, today=today, earliest=earliest_day(case), users=owners,
                              participants=_network_ids(case), prefix=prefix)


def _audit(action_name: str, obj: Action | Meeting, object_type: str, actor: User, changes: dict[str, Any],
           old_version: int | None) -> None:
    db.session.flush()  # the version is bumped by the flush
    changes["version"] = [old_version, obj.version]
    record(action_name, actor_id=actor.id, activity=read_activity(actor.role), case_id=obj.case_id,
           object_type=object_type, object_id=obj.id, changes=changes)


def _new_action(case: Case, cleaned: dict[str, Any], actor: User, meeting: Meeting | None = None) -> Action:
    now = now_utc()
    action = Action(case_id=case.id, description=cleaned["description"], owner_user_id=cleaned["owner_user_id"],
                    owner_participant_id=cleaned["owner_participant_id"], due_on=cleaned["due_on"],
                    status=rules.OPEN, meeting=meeting, created_by_id=actor.id, created_at=now, updated_at=now)
    db.session.add(action)
    db.session.flush()
    _audit("action.create", action, "case_action", actor,
           _changes({}, cleaned | {"status": rules.OPEN}, rules.FREE_TEXT_FIELDS), None)
    return action


def add_action(case: Case, values: dict[str, Any], *, actor: User, today: date) -> Action:
    """A new open action on the plan. A closed case takes none (CaseClosed)."""
    require(actor, Capability.WRITE_PLAN, "Alleen een coördinator van het samenwerkingsverband kan acties "
                                          "toevoegen.")
    if case.status == CLOSED:
        raise CaseClosed()
    cleaned, problems = check_action(case, values, today)
    _raise_if(problems)
    return _new_action(case, cleaned, actor)


def may_update(action: Action, user: User) -> bool:
    """A coordinator changes every action of the plan; another role (leerplicht) only the status of its own."""
    return can(user, Capability.WRITE_PLAN) or (
        can(user, Capability.COMPLETE_OWN_ACTIONS) and action.owner_user_id == user.id)


def _action_values(action: Action) -> dict[str, Any]:
    return {name: getattr(action, name) for name in rules.ACTION_UPDATE_FIELDS}


def check_update(action: Action, values: dict[str, Any], today: date) -> tuple[dict[str, Any], list[Any]]:
    """The action's values after the change (a PATCH: what ``values`` leaves out stays), cleaned, and every problem.
    Naming either owner replaces the owner. The current owner stays allowed (a user who since lost sight of the
    case can still be the one its status is changed for); a new one must be able to see the case."""
    merged = _action_values(action) | {k: v for k, v in values.items() if k in rules.ACTION_UPDATE_FIELDS}
    if any(name in values for name in rules.OWNER_ATTRIBUTES):
        merged |= {name: values.get(name) for name in rules.OWNER_ATTRIBUTES}
    if "status" in values and values["status"] != rules.DONE and "done_on" not in values:
        merged["done_on"] = None  # reopening or lapsing an action drops its done date
    users = ({user.id for user in possible_owners(action.case)} | {action.owner_user_id}) - {None}
    participants = (_network_ids(action.case) | {action.owner_participant_id}) - {None}
    return rules.check_action_update(merged, today=today, earliest=earliest_day(action.case), users=users,
                                     participants=participants)


def update_action(action: Action, values: dict[str, Any], *, expected_version: int | None, actor: User,
                  today: date) -> Action:
    """Change what ``values`` names (a PATCH leaves the others). Leerplicht changes only the status (and done date)
    of its own actions; the description, owner and due date are the coordinator's."""
    if not may_update(action, actor):
        raise Forbidden("U kunt alleen de status van uw eigen acties wijzigen." if
                        can(actor, Capability.COMPLETE_OWN_ACTIONS) else "Uw rol kan geen acties wijzigen.")
    versioning.check_version(action, expected_version)
    before = _action_values(action)
    cleaned, problems = check_update(action, values, today)
    _raise_if(problems)
    if not can(actor, Capability.WRITE_PLAN) and any(cleaned[name] != before[name]
                                                      for name in rules.COORDINATOR_FIELDS):
        raise Forbidden("Alleen een coördinator kan de actie, haar eigenaar of haar datum wijzigen.")
    changes = _changes(before, cleaned, rules.FREE_TEXT_FIELDS)
    if not changes:
        return action
    old_version = action.version
    for name in rules.ACTION_UPDATE_FIELDS:
        setattr(action, name, cleaned[name])
    action.updated_at = now_utc()
    _audit("action.update", action, "case_action", actor, changes, old_version)
    return action


# --- meetings ---------------------------------------------------------------------------------------------------


def meetings(case: Case) -> list[Meeting]:
    """The case's meetings, newest first, with who was there and their agreements."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.case_id == case.id)
        .options(selectinload(Meeting.participants), selectinload(Meeting.author),
                 selectinload(Meeting.actions).selectinload(Action.owner_user),
                 selectinload(Meeting.actions).selectinload(Action.owner_participant))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ))


def record_meetings_read(case: Case, reader: User) -> None:
    record("meetings.read", actor_id=reader.id, activity=read_activity(reader.role), case_id=case.id,
           object_type="meetings", object_id=case.id)


def check_meeting(case: Case, values: dict[str, Any], agreements: Sequence[dict[str, Any]], today: date
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], list[Any]]:
    owners = {user.id for user in possible_owners(case)}
    merged = {name: values.get(name) for name in rules.MEETING_FIELDS}
    return rules.check_meeting(merged, [{n: a.get(n) for n in rules.AGREEMENT_FIELDS} for a in agreements],
                               today=today, earliest=earliest_day(case), users=owners,
                               participants=_network_ids(case))


def add_meeting(case: Case, values: dict[str, Any], agreements: Sequence[dict[str, Any]], *, actor: User,
                today: date) -> Meeting:
    """A meeting and its agreements, each an open action linked to it, in one go (nothing saved on a problem).
    A closed case takes a meeting without agreements (it happened), but no new actions."""
    require(actor, Capability.WRITE_PLAN, "Alleen een coördinator van het samenwerkingsverband kan een overleg "
                                          "vastleggen.")
    cleaned, cleaned_agreements, problems = check_meeting(case, values, agreements, today)
    if cleaned_agreements and case.status == CLOSED:
        raise CaseClosed()
    _raise_if(problems)
    now = now_utc()
    present = list(db.session.scalars(select(Participant).where(Participant.id.in_(cleaned["participant_ids"]))
                                      .order_by(Participant.id))) if cleaned["participant_ids"] else []
    meeting = Meeting(case_id=case.id, held_on=cleaned["held_on"], kind=cleaned["kind"], summary=cleaned["summary"],
                      author_id=actor.id, created_at=now, updated_at=now, participants=present)
    db.session.add(meeting)
    db.session.flush()
    _audit("meeting.create", meeting, "meeting", actor,
           _changes({}, cleaned | {"agreements": len(cleaned_agreements)}, rules.FREE_TEXT_FIELDS), None)
    for agreement in cleaned_agreements:
        _new_action(case, agreement, actor, meeting)
    return meeting


# --- the werkvoorraad -------------------------------------------------------------------------------------------


def open_actions_for(user: User, until: date) -> list[Row[tuple[date, str, str, int, int]]]:
    """The open actions due on or before `until` that are this user's to do, in its scope, soonest first, as rows of
    (due_on, reference, description, case_id, id): the actions it owns, and for a coordinator (WRITE_PLAN) also
    those of its cases owned by a participant (someone outside the app, whom the coordinator follows up). Rows, not
    objects: the werkvoorraad asks this on every visit and needs only these columns (one statement, no loading).

    Served by the partial indexes on open actions: ix_case_action_open_owner (a user's own), ix_case_action_open_case
    (a coordinator's cases, found through the case list's scope indexes)."""
    mine = Action.owner_user_id == user.id
    whose = or_(mine, Action.owner_user_id.is_(None)) if can(user, Capability.WRITE_PLAN) else mine
    # The scope as a correlated EXISTS, not a condition on the joined case: that let SQLite start from the scope's
    # cases (6,040 for the busiest swv at 200,000 cases) and probe each for actions, 12 ms with no action at all;
    # this way it starts from the open actions due by `until` (the partial indexes) and checks each one's case by
    # its key (and so does the reference, by the same key).
    in_scope = (select(Case.id).where(Case.id == Action.case_id, case_scope_clause(user),
                                      Case.anonymised_at.is_(None)).exists())
    reference = select(Case.reference).where(Case.id == Action.case_id).scalar_subquery()
    query = (
        select(Action.due_on, reference.label("reference"), Action.description, Action.case_id, Action.id)
        .where(Action.status == rules.OPEN, Action.due_on <= until, whose, in_scope)
        .order_by(Action.due_on, Action.id)
    )
    return list(column_rows(query))
