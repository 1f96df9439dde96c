"""The sources of the werkvoorraad: each finds one kind of item in the user's scope, due on or before ``until``.

A source is ``Source``: ``(user, today, until) -> list[WorkItem]``. It decides itself whether the user gets its
kind at all (a capability), scopes its query with ``case_scope_clause`` (anonymised cases never show), and
reads only the columns an item needs. `collect` runs every source in `SOURCES` and sorts what they found; a new
kind of work (the plan's actions) is one more function in `SOURCES`.

Who gets what (API.md, "Casework"): a coordinator the terms, alerts and stale cases of its swv's; a leerplicht
user the open alerts of its gemeenten. The terms and stale cases go to those who edit cases (they get the
reminders about them too).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, or_, select

from thuiszitters.accounts.models import User
from thuiszitters.alerts.kinds import ALERT_KIND_LABELS
from thuiszitters.alerts.models import Alert
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.cases.scope import case_scope_clause
from thuiszitters.cases.services import terms as configured_terms
from thuiszitters.casework.plan_services import open_actions_for
from thuiszitters.extensions import db
from thuiszitters.parsing import MAX_ID
from thuiszitters.permissions import Capability, can
from thuiszitters.reminders import rules as reminder_rules
from thuiszitters.reminders.services import offsets as configured_offsets
from thuiszitters.worklist import items as wl
from thuiszitters.worklist.rules import CHAIN_TERMS, RETURN_DEADLINE_TITLE, TERM_KINDS, open_terms

Source = Callable[[User, date, date], list[wl.WorkItem]]

# Cases that still need work: open ones, and signals (which have steps and can stand still, but no return goal).
_ACTIVE = ("open", "signaal")
_CASE_COLUMNS = (Case.id.label("case_id"), Case.reference, Pupil.first_name, Pupil.last_name)


def _linker(endpoint: str, anchor: str | None = None, key: str = "case_id") -> Callable[[int], str]:
    """A page by the id its endpoint takes (``key``: a case's by default): ``url_for`` once per source, the id
    filled in per item.

    ``url_for`` for each of a long list's items was half the time of the whole werkvoorraad (1,200 items for a
    busy swv); the URL differs only in the id, so it is built once around a marker.
    """
    marker = str(MAX_ID)
    head, tail = url_for(endpoint, **{key: marker}, _anchor=anchor).split(marker)
    return lambda object_id: f"{head}{object_id}{tail}"


def _in_scope(user: User):
    return and_(case_scope_clause(user), Case.anonymised_at.is_(None))


def _item(row, kind: str, title: str, due_on: date, today: date, link: str) -> wl.WorkItem:
    # Positional, in WorkItem's field order (a long list builds hundreds; keywords cost a third more).
    return wl.WorkItem(row.case_id, row.reference, f"{row.first_name} {row.last_name}", kind, title, due_on,
                       wl.is_overdue(due_on, today), link)


def term_items(user: User, today: date, until: date) -> list[wl.WorkItem]:
    """The chain's open terms (aanmelding decision, GPO filing, oordeel, follow-up) and the return deadline."""
    if not can(user, Capability.EDIT_CASES):
        return []
    terms = configured_terms()
    # Loose bounds in SQL (an extension may add weeks), the exact due date from escalation.terms below.
    latest_receipt = until - timedelta(weeks=terms.decision_weeks)
    unmet = or_(*(and_(Step.kind == t.kind, getattr(Step, t.met_by).is_(None)) for t in CHAIN_TERMS))
    steps = db.session.execute(
        select(*_CASE_COLUMNS, Step.id, Step.kind, Step.received_on, Step.extended_on, Step.extension_weeks,
               Step.decision, Step.decided_on, Step.school_decision_on, Step.filed_on, Step.verdict,
               Step.verdict_on, Step.follow_up)
        .join(Case, Case.id == Step.case_id).join(Pupil, Pupil.id == Case.pupil_id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE), Step.kind.in_(TERM_KINDS), unmet,
               or_(Step.kind != "aanmelding", Step.received_on <= latest_receipt))
    )
    found = []
    chain_links = {kind: _linker("cases.show", f"keten-{kind}") for kind in TERM_KINDS}
    for step in steps:
        link = chain_links[step.kind](step.case_id)
        for chain_term, due_on in open_terms(step, until, terms):
            found.append(_item(step, wl.TERM, chain_term.title, due_on, today, link))
    deadlines = db.session.execute(
        select(*_CASE_COLUMNS, Case.return_deadline).join(Pupil, Pupil.id == Case.pupil_id)
        .where(_in_scope(user), Case.status == "open", Case.return_deadline <= until)
    )
    deadline_link = _linker("cases.show", "deadlines")
    for case in deadlines:
        found.append(_item(case, wl.TERM, RETURN_DEADLINE_TITLE, case.return_deadline, today,
                           deadline_link(case.case_id)))
    return found


def alert_items(user: User, today: date, until: date) -> list[wl.WorkItem]:
    """Open alerts on active cases in scope: leerplicht reviews them (the queue), a coordinator follows them (the
    case). An alert whose case has closed since is no work on the case any more; it waits in the leerplicht's
    queue (/signalen), which lists every open alert, until someone acknowledges it there."""
    if not can(user, Capability.READ_CASES):
        return []
    reviews = can(user, Capability.REVIEW_ALERTS)
    rows = db.session.execute(
        select(*_CASE_COLUMNS, Alert.id, Alert.kind, Alert.due_on)
        .join(Case, Case.id == Alert.case_id).join(Pupil, Pupil.id == Case.pupil_id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE), Alert.status == "open", Alert.due_on <= until)
    )
    # Leerplicht acknowledges the alert on its own page; a coordinator follows it on the case.
    link = _linker("alerts.show", key="alert_id") if reviews else _linker("cases.show", "case-alerts-title")
    return [_item(alert, wl.ALERT, ALERT_KIND_LABELS.get(alert.kind, alert.kind), alert.due_on, today,
                  link(alert.id if reviews else alert.case_id))
            for alert in rows]


def stale_items(user: User, today: date, until: date) -> list[wl.WorkItem]:
    """Active cases without activity for the reminder rule's period (``reminders.rules.stale_on``)."""
    if not can(user, Capability.EDIT_CASES):
        return []
    offsets = configured_offsets()
    rows = db.session.execute(
        select(*_CASE_COLUMNS, Case.last_activity_on).join(Pupil, Pupil.id == Case.pupil_id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE),
               Case.last_activity_on <= until - timedelta(days=offsets.stale_days))
    )
    title = reminder_rules.RULE_LABELS[reminder_rules.STALE]
    journal = _linker("casework.new_entry")
    return [_item(case, wl.STALE, title, reminder_rules.stale_on(case.last_activity_on, offsets), today,
                  journal(case.case_id))
            for case in rows]


def action_items(user: User, today: date, until: date) -> list[wl.WorkItem]:
    """The open actions of the plan van aanpak this user is to do (casework.plan_services.open_actions_for: its own,
    and for a coordinator those of its cases owned by a participant), each linking to the action's page."""
    if not can(user, Capability.READ_CASES):
        return []
    # A user's open actions are few (not a swv's hundreds of cases): one url_for each is cheap enough.
    return [wl.WorkItem(case_id=action.case.id, reference=action.case.reference,
                        pupil_name=f"{action.case.pupil.first_name} {action.case.pupil.last_name}",
                        kind=wl.ACTION, title=action.description, due_on=action.due_on,
                        overdue=wl.is_overdue(action.due_on, today),
                        link=url_for("casework.edit_action", case_id=action.case.id, action_id=action.id))
            for action in open_actions_for(user, until)]


# Every source of the werkvoorraad.
SOURCES: tuple[Source, ...] = (action_items, term_items, alert_items, stale_items)


def collect(user: User, today: date, until: date, sources: tuple[Source, ...] = SOURCES) -> list[wl.WorkItem]:
    """Everything due for the user on or before ``until``, in the werkvoorraad's order."""
    return wl.sort_items(item for source in sources for item in source(user, today, until))
