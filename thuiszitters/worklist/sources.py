"""The sources of the werkvoorraad: each finds one kind of item in the user's scope, due on or before ``until``.

A source is ``Source``: ``(user, until) -> list[Due]``. It decides itself whether the user gets its kind at all (a
capability), scopes its query with ``case_scope_clause`` (anonymised cases never show), and reads only the columns
a `Due` needs (not the pupil). `collect` runs every source in `SOURCES` and sorts what they found; a new kind of
work (the plan's actions) is one more function in `SOURCES`. `work_items` turns the part a page shows into
`WorkItem`s with the pupil's name: one query for at most a page of cases, not a join for the whole list.

Who gets what (API.md, "Casework"): a coordinator the terms, alerts and stale cases of its swv's; a leerplicht
user the open alerts of its gemeenten. The terms and stale cases go to those who edit cases (they get the
reminders about them too).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import ColumnElement, Index, and_, literal, or_, select

from thuiszitters.accounts.models import User
from thuiszitters.alerts.kinds import ALERT_KIND_LABELS
from thuiszitters.alerts.models import Alert
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.cases.scope import case_scope_clause
from thuiszitters.cases.services import terms as configured_terms
from thuiszitters.casework.plan_services import open_actions_for
from thuiszitters.extensions import column_rows
from thuiszitters.parsing import MAX_ID
from thuiszitters.permissions import Capability, can
from thuiszitters.reminders import rules as reminder_rules
from thuiszitters.reminders.services import offsets as configured_offsets
from thuiszitters.worklist import items as wl
from thuiszitters.worklist.rules import CHAIN_TERMS, RETURN_DEADLINE_TITLE, TERM_KINDS, open_terms

Source = Callable[[User, date], list[wl.Due]]


def _fixed(value: str) -> ColumnElement[str]:
    """A constant written into the SQL itself, not sent as a parameter.

    PostgreSQL plans a prepared statement once for any parameters (a generic plan) after a few runs; with the
    status or kind as a parameter, it cannot know that the partial indexes below hold exactly the rows asked for,
    and at 200,000 cases it then hashed all 20,000 open alerts of the country (12-23 ms) instead of probing the
    scope's 752 active cases (1-2 ms).
    """
    return literal(value, literal_execute=True)


# Cases that still need work: open ones, and signals (which have steps and can stand still, but no return goal).
_ACTIVE = tuple(_fixed(status) for status in ("open", "signaal"))

# A step whose chain term is still unmet (worklist.rules.CHAIN_TERMS), and the partial index of just those steps:
# the werkvoorraad probes it for each of a scope's active cases and reads a step only when it has work.
OPEN_TERM = or_(*(and_(Step.kind == _fixed(t.kind), getattr(Step, t.met_by).is_(None)) for t in CHAIN_TERMS))
Index("ix_case_step_open_term", Step.case_id, postgresql_where=OPEN_TERM, sqlite_where=OPEN_TERM)


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


def term_items(user: User, until: date) -> list[wl.Due]:
    """The chain's open terms (aanmelding decision, GPO filing, oordeel, follow-up) and the return deadline."""
    if not can(user, Capability.EDIT_CASES):
        return []
    terms = configured_terms()
    # Loose bounds in SQL (an extension may add weeks), the exact due date from escalation.terms below.
    latest_receipt = until - timedelta(weeks=terms.decision_weeks)
    steps = column_rows(
        select(Step.case_id, Case.reference, Step.kind, Step.received_on, Step.extended_on, Step.extension_weeks,
               Step.decision, Step.decided_on, Step.school_decision_on, Step.filed_on, Step.verdict,
               Step.verdict_on, Step.follow_up)
        .join(Case, Case.id == Step.case_id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE), OPEN_TERM,
               or_(Step.kind != _fixed("aanmelding"), Step.received_on <= latest_receipt))
    )
    rank = wl.RANK[wl.TERM]
    found = []
    chain_links = {kind: _linker("cases.show", f"keten-{kind}") for kind in TERM_KINDS}
    for step in steps:
        link = chain_links[step.kind](step.case_id)
        for chain_term, due_on in open_terms(step, until, terms):
            found.append(wl.Due(due_on, rank, step.reference, chain_term.title, step.case_id, link))
    deadlines = column_rows(
        select(Case.id, Case.reference, Case.return_deadline)
        .where(_in_scope(user), Case.status == _fixed("open"), Case.return_deadline <= until)
    )
    deadline_link = _linker("cases.show", "deadlines")
    found.extend(wl.Due(due_on, rank, reference, RETURN_DEADLINE_TITLE, case_id, deadline_link(case_id))
                 for case_id, reference, due_on in deadlines)
    return found


def alert_items(user: User, until: date) -> list[wl.Due]:
    """Open alerts on active cases in scope: leerplicht reviews them (the queue), a coordinator follows them (the
    case). An alert whose case has closed since is no work on the case any more; it waits in the leerplicht's
    queue (/signalen), which lists every open alert, until someone acknowledges it there."""
    if not can(user, Capability.READ_CASES):
        return []
    reviews = can(user, Capability.REVIEW_ALERTS)
    rows = column_rows(
        select(Alert.due_on, Case.reference, Alert.kind, Case.id, Alert.id)
        .join(Case, Case.id == Alert.case_id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE), Alert.status == _fixed("open"))
    )
    # Leerplicht acknowledges the alert on its own page; a coordinator follows it on the case.
    link = _linker("alerts.show", key="alert_id") if reviews else _linker("cases.show", "case-alerts-title")
    rank = wl.RANK[wl.ALERT]
    # Due by `until` is checked here, not in SQL: a date parameter made PostgreSQL's generic plan guess a third of
    # all open alerts and hash them (open alerts are due when raised, so this drops next to nothing).
    return [wl.Due(due_on, rank, reference, ALERT_KIND_LABELS.get(kind, kind), case_id,
                   link(alert_id if reviews else case_id))
            for due_on, reference, kind, case_id, alert_id in rows if due_on <= until]


def stale_items(user: User, until: date) -> list[wl.Due]:
    """Active cases without activity for the reminder rule's period (``reminders.rules.stale_on``)."""
    if not can(user, Capability.EDIT_CASES):
        return []
    offsets = configured_offsets()
    rows = column_rows(
        select(Case.last_activity_on, Case.reference, Case.id)
        .where(_in_scope(user), Case.status.in_(_ACTIVE),
               Case.last_activity_on <= until - timedelta(days=offsets.stale_days))
    )
    title = reminder_rules.RULE_LABELS[reminder_rules.STALE]
    journal = _linker("casework.new_entry")
    rank = wl.RANK[wl.STALE]
    return [wl.Due(reminder_rules.stale_on(last_activity_on, offsets), rank, reference, title, case_id,
                   journal(case_id))
            for last_activity_on, reference, case_id in rows]


def action_items(user: User, until: date) -> list[wl.Due]:
    """The open actions of the plan van aanpak this user is to do (casework.plan_services.open_actions_for: its own,
    and for a coordinator those of its cases owned by a participant), each linking to the action's page."""
    if not can(user, Capability.READ_CASES):
        return []
    rank = wl.RANK[wl.ACTION]
    # A user's open actions are few (not a swv's hundreds of cases): one url_for each is cheap enough.
    return [wl.Due(due_on, rank, reference, description, case_id,
                   url_for("casework.edit_action", case_id=case_id, action_id=action_id))
            for due_on, reference, description, case_id, action_id in open_actions_for(user, until)]


# Every source of the werkvoorraad.
SOURCES: tuple[Source, ...] = (action_items, term_items, alert_items, stale_items)


def collect(user: User, until: date, sources: tuple[Source, ...] = SOURCES) -> list[wl.Due]:
    """Everything due for the user on or before ``until``, in the werkvoorraad's order."""
    return wl.sort_items(due for source in sources for due in source(user, until))


def work_items(shown: Sequence[wl.Due], today: date) -> list[wl.WorkItem]:
    """The items a page shows, with their pupils' names (one query for the page's cases, which the sources found
    in the user's scope)."""
    case_ids = {due.case_id for due in shown}
    rows = column_rows(
        select(Case.id, Pupil.first_name, Pupil.last_name).join(Pupil, Pupil.id == Case.pupil_id)
        .where(Case.id.in_(case_ids))
    ) if case_ids else ()
    names = {case_id: f"{first_name} {last_name}" for case_id, first_name, last_name in rows}
    return [wl.work_item(due, names[due.case_id], today) for due in shown]
