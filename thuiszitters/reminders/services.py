"""The reminder sweep: reminders, with their notifications, mails and alerts, in one transaction.

``send_due_reminders(today)`` is the one sweep. It is idempotent and safe to run in parallel:

* It finds candidates per rule with indexed range queries on open cases (and undecided aanmelding / GPO steps),
  skipping in SQL what was already recorded, so a sweep with nothing due reads only a few index ranges. This
  part only reads, and takes no lock.
* It records what is due in batches of ``SWEEP_BATCH`` reminders (a case's reminders stay in one batch). Each
  batch first takes the sweep lock (a PostgreSQL advisory transaction lock, and a write to the
  ``scheduler_state`` lock row, which on SQLite is the database's write lock), so batches of two sweeps never
  interleave within a transaction. The processes that sweep beside users (``flask reminders run``, the scheduler)
  commit after every batch: SQLite has one write lock for the whole database, which every request that saves
  something (or logs a read) needs, and a request waits for it only up to the busy timeout (10 s). A catch-up
  sweep over the whole country held it for longer than that when it was one transaction. On SQLite the sweep also
  leaves the lock free between two batches for as long as the batch held it, so waiting requests get their turn.
* Each reminder is inserted with ``INSERT ... ON CONFLICT DO NOTHING`` on its unique key (case, rule, due date);
  only the rows actually inserted get notifications, outbox mails and alerts, all in the same transaction.
  A reminder is therefore recorded, and mailed, exactly once, whichever sweep gets to its batch first.
* The owners of open actions of the plan van aanpak due today are reminded the same way (``send_action_reminders``):
  one reminder per case and day (rule ``action_due``), its mails and notifications in the same transaction.

The sweep keeps no "last run" date: every run looks at the rules' own windows (see ``rules``), so a run missed
during downtime, or data entered late (a case registered months after the pupil went out of school), is picked
up by the next run.
"""
from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import exists, insert, select

from thuiszitters.accounts.models import User, user_gemeente, user_swv
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.cases.models import Case, Step
from thuiszitters.cases.services import terms as configured_terms
from thuiszitters.casework.models import Action
from thuiszitters.clock import now_utc
from thuiszitters.escalation import lifecycle
from thuiszitters.escalation.spec import GPO_OORDEEL_VERDICTS
from thuiszitters.escalation.terms import Terms
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.ops.locks import REMINDER_SWEEP, dialect_insert, release_lock, take_lock
from thuiszitters.permissions import Capability, role_can, roles_with
from thuiszitters.reminders import rules
from thuiszitters.reminders.models import Reminder

log = logging.getLogger(__name__)

SWEEP_LOCK_NAME = "reminders.sweep"
SWEEP_LOCK_LEASE = timedelta(minutes=30)
SWEEP_BATCH = 500  # reminders recorded per transaction when the caller commits between batches
SWEEP_PAUSE_SECONDS = 0.2  # at least this long between two batches on SQLite (see send_due_reminders)
_CHUNK = 500


@dataclass
class SweepResult:
    """What one sweep queued. Counts only: the caller prints or logs it, and it holds no personal data."""

    reminders: Counter[str] = field(default_factory=Counter)
    # Recorded as missed (found too late, or its event passed): shown on the case, not mailed.
    missed: Counter[str] = field(default_factory=Counter)
    notifications: int = 0
    mails: int = 0
    alerts: int = 0

    @property
    def total(self) -> int:
        return sum(self.reminders.values())


def offsets() -> rules.Offsets:
    return rules.Offsets.from_config(current_app.config.get("REMINDERS", {}))


# --- Finding what is due ------------------------------------------------------------------------------------


def _not_recorded(rule: str, after: Any) -> Any:
    """SQL: no reminder of this rule exists for the case with a due date after ``after`` (a column or date).

    Due dates only move forward for a case, so a reminder dated after the case's own reference date means the
    current occurrence was handled; the exact key is checked again in Python and by the unique constraint.
    """
    return ~exists().where(Reminder.case_id == Case.id, Reminder.rule == rule, Reminder.due_on > after)


_CASE_COLUMNS = (Case.id, Case.status, Case.out_of_school_since, Case.return_deadline, Case.last_activity_on)
# Cases that get reminders: open ones, and signals (only the rules that are not about the return goal).
_ACTIVE = ("open", "signaal")


def _case_candidates(today: date, offs: rules.Offsets) -> dict[int, set[rules.Due]]:
    """Due reminders about cases themselves, one indexed query per rule.

    Open cases are never anonymised (only closed ones are, years later), so the status alone keeps the queries
    index-only until a candidate is found. The notices have no lower bound: one found too late is recorded as
    missed (once; after that the ``NOT EXISTS`` skips it).
    """
    open_case = Case.status == "open"
    halfway = timedelta(weeks=offs.halfway_weeks)
    approaching = timedelta(weeks=offs.deadline_approaching_weeks)
    period = timedelta(weeks=offs.overdue_repeat_weeks)
    stale = timedelta(days=offs.stale_days)
    queries = {
        rules.HALFWAY: select(*_CASE_COLUMNS).where(
            open_case,
            Case.out_of_school_since <= today - halfway,
            _not_recorded(rules.HALFWAY, Case.out_of_school_since),
        ),
        rules.DEADLINE_APPROACHING: select(*_CASE_COLUMNS).where(
            open_case,
            Case.return_deadline <= today + approaching,
            _not_recorded(rules.DEADLINE_APPROACHING, Case.out_of_school_since),
        ),
        rules.OVERDUE: select(*_CASE_COLUMNS).where(
            open_case,
            Case.return_deadline < today,
            ~exists().where(Reminder.case_id == Case.id, Reminder.rule == rules.OVERDUE,
                            Reminder.due_on > Case.return_deadline, Reminder.due_on > today - period),
        ),
        rules.STALE: select(*_CASE_COLUMNS).where(
            Case.status.in_(_ACTIVE),
            Case.last_activity_on <= today - stale,
            _not_recorded(rules.STALE, Case.last_activity_on),
        ),
    }
    found: dict[int, set[rules.Due]] = defaultdict(set)
    for rule, query in queries.items():
        for row in db.session.execute(query):
            for due in rules.case_reminders_due(
                status=row.status, out_of_school_since=row.out_of_school_since,
                return_deadline=row.return_deadline, last_activity_on=row.last_activity_on, today=today,
                offsets=offs,
            ):
                if due.rule == rule:
                    found[row.id].add(due)
    return found


def _step_candidates(today: date, offs: rules.Offsets, terms: Terms) -> dict[int, set[rules.Due]]:
    """Due reminders about undecided aanmeldingen and unanswered GPO oordelen (few rows, indexed by kind/date)."""
    # Driven by the active cases' ids (an index-only list) probing the partial indexes on case_step.
    open_ids = select(Case.id).where(Case.status.in_(_ACTIVE)).scalar_subquery()
    earliest_notice = timedelta(weeks=terms.decision_weeks - offs.aanmelding_before_due_weeks)
    aanmelding = (
        select(Step.case_id, Step.kind, Step.received_on, Step.extended_on, Step.extension_weeks, Step.decision,
               Step.decided_on, Case.absence_kind, Case.school_id)
        .join(Case, Case.id == Step.case_id)
        .where(Step.kind == "aanmelding", Step.decision.is_(None), Step.received_on <= today - earliest_notice,
               Step.case_id.in_(open_ids))
    )
    gpo = (
        select(Step.case_id, Step.kind, Step.verdict, Step.verdict_on, Step.follow_up)
        .where(Step.kind == "geschillencommissie", Step.follow_up.is_(None),
               Step.verdict.in_(GPO_OORDEEL_VERDICTS),
               Step.verdict_on <= today - timedelta(weeks=terms.gpo_follow_up_weeks),
               Step.case_id.in_(open_ids))
    )
    found: dict[int, set[rules.Due]] = defaultdict(set)
    # Plain rows, not ORM objects: the rules read attributes by name.
    for step in db.session.execute(aanmelding):
        enrolled = lifecycle.enrolled(step.absence_kind, step.school_id is not None)
        found[step.case_id].update(rules.aanmelding_reminders_due(step, today, offs, terms, enrolled=enrolled))
    for step in db.session.execute(gpo):
        found[step.case_id].update(rules.gpo_reminders_due(step, today, terms, offs))
    return found


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _drop_recorded(candidates: dict[int, set[rules.Due]]) -> list[tuple[int, rules.Due]]:
    """The exact keys not yet recorded (the SQL filters above are deliberately loose for step rules)."""
    wanted = [(case_id, due) for case_id, dues in candidates.items() for due in dues]
    if not wanted:
        return []
    recorded: set[tuple[int, str, date]] = set()
    for chunk in _chunks(sorted(candidates)):
        rows = db.session.execute(
            select(Reminder.case_id, Reminder.rule, Reminder.due_on).where(Reminder.case_id.in_(chunk))
        )
        recorded.update((r.case_id, r.rule, r.due_on) for r in rows)
    return sorted(
        ((case_id, due) for case_id, due in wanted if (case_id, due.rule, due.due_on) not in recorded),
        key=lambda item: (item[0], item[1].due_on, rules.RULES.index(item[1].rule)),
    )


# --- Recording and addressing -------------------------------------------------------------------------------


def _record_reminders(keys: list[tuple[int, rules.Due]], now: datetime) -> list[tuple[int, int, rules.Due]]:
    """Insert the reminders; returns (reminder_id, case_id, due) for the rows this sweep actually inserted."""
    inserted: list[tuple[int, int, rules.Due]] = []
    for chunk in _chunks(keys):
        stmt = (
            dialect_insert(Reminder)
            .on_conflict_do_nothing(index_elements=["case_id", "rule", "due_on"])
            .returning(Reminder.id, Reminder.case_id, Reminder.rule, Reminder.due_on, Reminder.missed)
        )
        rows = db.session.execute(
            stmt, [{"case_id": case_id, "rule": due.rule, "due_on": due.due_on, "created_at": now,
                    "missed": due.missed} for case_id, due in chunk]
        )
        inserted.extend((r.id, r.case_id, rules.Due(r.rule, r.due_on, bool(r.missed))) for r in rows)
    return inserted


@dataclass(frozen=True)
class _Recipient:
    user_id: int
    email: str
    role: str


class _Addressbook:
    """Who hears about a case: its coordinator (or every coordinator of its swv) and the gemeente's leerplicht."""

    def __init__(self) -> None:
        self._by_swv: dict[int, list[_Recipient]] = {}
        self._by_gemeente: dict[int, list[_Recipient]] = {}
        self._by_id: dict[int, _Recipient | None] = {}

    def _users(self, table: Any, column: Any, key: int, capability: Capability) -> list[_Recipient]:
        rows = db.session.execute(
            select(User.id, User.email, User.role).join(table, table.c.user_id == User.id)
            .where(column == key, User.role.in_(sorted(roles_with(capability))), User.active.is_(True))
            .order_by(User.id)
        )
        return [_Recipient(r.id, r.email, r.role) for r in rows]

    def coordinators(self, coordinator_id: int | None, swv_id: int) -> list[_Recipient]:
        if coordinator_id is not None:
            if coordinator_id not in self._by_id:
                user = db.session.get(User, coordinator_id)
                self._by_id[coordinator_id] = (
                    _Recipient(user.id, user.email, user.role)
                    if user is not None and user.active and role_can(user.role, Capability.EDIT_CASES) else None
                )
            own = self._by_id[coordinator_id]
            if own is not None:
                return [own]
        if swv_id not in self._by_swv:
            self._by_swv[swv_id] = self._users(user_swv, user_swv.c.swv_id, swv_id, Capability.EDIT_CASES)
        return self._by_swv[swv_id]

    def leerplicht(self, gemeente_id: int) -> list[_Recipient]:
        if gemeente_id not in self._by_gemeente:
            self._by_gemeente[gemeente_id] = self._users(user_gemeente, user_gemeente.c.gemeente_id, gemeente_id,
                                                         Capability.REVIEW_ALERTS)
        return self._by_gemeente[gemeente_id]


def _mail_body(text: str, link: str, extra_link: str | None) -> str:
    lines = [
        "Beste collega,",
        "",
        text,
        "",
        f"Bekijk de casus: {link}",
    ]
    if extra_link:
        lines.append(f"Signalen beoordelen: {extra_link}")
    lines += [
        "",
        "Dit bericht bevat bewust geen namen of andere persoonsgegevens; log in om de casus te zien.",
        "",
        "Thuiszitters",
    ]
    return "\n".join(lines)


def _queue_messages(inserted: list[tuple[int, int, rules.Due]], now: datetime, result: SweepResult) -> None:
    """Notifications, outbox mails and alerts for the reminders just recorded, as bulk inserts.

    A missed reminder is only counted: it stays on the case, and nobody is mailed about a date long gone.
    """
    for _, _, due in inserted:
        if due.missed:
            result.missed[due.rule] += 1
    inserted = [item for item in inserted if not item[2].missed]
    if not inserted:
        return
    base_url = current_app.config["BASE_URL"].rstrip("/")
    case_ids = sorted({case_id for _, case_id, _ in inserted})
    cases: dict[int, Any] = {}
    open_alerts: set[tuple[int, str]] = set()
    for chunk in _chunks(case_ids):
        for row in db.session.execute(
            select(Case.id, Case.reference, Case.swv_id, Case.gemeente_id, Case.coordinator_id,
                   Case.return_deadline, Case.absence_kind).where(Case.id.in_(chunk))
        ):
            cases[row.id] = row
        open_alerts.update(db.session.execute(
            select(Alert.case_id, Alert.kind).where(Alert.case_id.in_(chunk), Alert.status == "open")
        ).tuples())
    book = _Addressbook()
    notifications: list[dict[str, Any]] = []
    mails: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    for reminder_id, case_id, due in inserted:
        case = cases[case_id]
        recipients = list(book.coordinators(case.coordinator_id, case.swv_id))
        to_leerplicht = rules.for_leerplicht(due.rule, case.absence_kind)
        if to_leerplicht:
            recipients += book.leerplicht(case.gemeente_id)
        # A repeated overdue reminder opens a new alert only once the previous one was acknowledged.
        if to_leerplicht and (case_id, due.rule) not in open_alerts:
            open_alerts.add((case_id, due.rule))
            alerts.append({"case_id": case_id, "kind": due.rule, "due_on": due.due_on, "created_at": now,
                           "status": "open"})
        text = rules.message_text(due.rule, case.reference, due.due_on, case.return_deadline)
        subject = f"[Thuiszitters] {rules.RULE_LABELS[due.rule]} – casus {case.reference}"
        link = f"{base_url}/casussen/{case_id}"
        if not recipients:
            log.warning("reminder %s for case %s has no recipient", due.rule, case_id)
        seen: set[int] = set()
        for recipient in recipients:
            if recipient.user_id in seen:
                continue
            seen.add(recipient.user_id)
            notifications.append({"user_id": recipient.user_id, "case_id": case_id, "reminder_id": reminder_id,
                                  "message": text[:500], "created_at": now})
            review = f"{base_url}/signalen" \
                if role_can(recipient.role, Capability.REVIEW_ALERTS) and to_leerplicht else None
            mails.append({"reminder_id": reminder_id, "recipient": recipient.email, "subject": subject[:200],
                          "body": _mail_body(text, link, review), "status": "pending", "attempts": 0,
                          "next_attempt_at": now, "created_at": now})
        result.reminders[due.rule] += 1
    for chunk in _chunks(notifications, 2000):
        db.session.execute(insert(Notification), list(chunk))
    for chunk in _chunks(mails, 2000):
        db.session.execute(insert(OutboxMessage), list(chunk))
    for chunk in _chunks(alerts, 2000):
        rows = db.session.execute(
            dialect_insert(Alert).on_conflict_do_nothing(index_elements=["case_id", "kind", "due_on"])
            .returning(Alert.id), list(chunk)
        )
        result.alerts += len(rows.all())
    result.notifications += len(notifications)
    result.mails += len(mails)


def _batches(keys: list[tuple[int, rules.Due]], size: int) -> Iterable[list[tuple[int, rules.Due]]]:
    """``keys`` (sorted by case) in runs of about ``size``, never splitting one case's reminders."""
    batch: list[tuple[int, rules.Due]] = []
    for key in keys:
        if len(batch) >= size and key[0] != batch[-1][0]:
            yield batch
            batch = []
        batch.append(key)
    if batch:
        yield batch


def send_due_reminders(today: date, now: datetime | None = None, *,
                       commit: Callable[[], None] | None = None) -> SweepResult:
    """One sweep of every reminder rule for ``today``. Queues notifications, mails and alerts; flushes.

    Without ``commit`` every batch goes into the caller's transaction, which the caller commits. A process that
    sweeps beside users passes its commit, and each batch becomes a short transaction of its own (see the module
    docstring for why).
    """
    now = now or now_utc()
    offs, terms = offsets(), configured_terms()
    candidates = _case_candidates(today, offs)
    for case_id, dues in _step_candidates(today, offs, terms).items():
        candidates[case_id] = candidates.get(case_id, set()) | dues
    result = SweepResult()
    step_aside = commit is not None and db.session.get_bind().dialect.name == "sqlite"
    for batch in _batches(_drop_recorded(candidates), SWEEP_BATCH):
        started = time.monotonic()
        take_lock(SWEEP_LOCK_NAME, REMINDER_SWEEP, now, SWEEP_LOCK_LEASE)
        _queue_messages(_record_reminders(batch, now), now, result)
        release_lock(SWEEP_LOCK_NAME)
        db.session.flush()
        if commit is not None:
            commit()
        if step_aside:
            # Requests waiting for SQLite's write lock poll for it every few to 100 ms; taken again at once by the
            # next batch, it would never be theirs. Leave it free as long as the batch held it.
            time.sleep(max(SWEEP_PAUSE_SECONDS, time.monotonic() - started))
    send_action_reminders(today, now, result, commit=commit)
    return result


# --- Actions of the plan van aanpak due today -----------------------------------------------------------------


def _cases_with_actions_due(today: date) -> list[int]:
    """Cases with an open, user-owned action due today and no action reminder for today yet (the partial index on
    open actions by due date, ix_case_action_open_due)."""
    return list(db.session.scalars(
        select(Action.case_id).join(Case, Case.id == Action.case_id)
        .where(Action.status == "open", Action.due_on == today, Action.owner_user_id.is_not(None),
               Case.anonymised_at.is_(None),
               ~exists().where(Reminder.case_id == Action.case_id, Reminder.rule == rules.ACTION_DUE,
                               Reminder.due_on == today))
        .distinct().order_by(Action.case_id)
    ))


def _queue_action_messages(inserted: list[tuple[int, int, rules.Due]], today: date, now: datetime,
                           result: SweepResult) -> None:
    """One notification and one mail per owner with open actions due today in each case just recorded. The mail
    holds no name, no reference and no description (a description may name the pupil): a sentence and a link."""
    if not inserted:
        return
    base_url = current_app.config["BASE_URL"].rstrip("/")
    by_case = {case_id: reminder_id for reminder_id, case_id, _ in inserted}
    rows = db.session.execute(
        select(Action.case_id, Case.reference, User.id, User.email)
        .join(Case, Case.id == Action.case_id).join(User, User.id == Action.owner_user_id)
        .where(Action.case_id.in_(sorted(by_case)), Action.status == "open", Action.due_on == today,
               User.active.is_(True))
    ).all()
    owners: Counter[tuple[int, str, int, str]] = Counter((r.case_id, r.reference, r.id, r.email) for r in rows)
    notifications, mails = [], []
    for (case_id, reference, user_id, email), count in sorted(owners.items()):
        reminder_id = by_case[case_id]
        notifications.append({"user_id": user_id, "case_id": case_id, "reminder_id": reminder_id,
                              "message": rules.action_message_text(reference, count)[:500], "created_at": now})
        mails.append({"reminder_id": reminder_id, "recipient": email,
                      "subject": f"[Thuiszitters] {rules.RULE_LABELS[rules.ACTION_DUE]}",
                      "body": _mail_body(rules.ACTION_MAIL_TEXT, f"{base_url}/casussen/{case_id}#plan", None),
                      "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now})
    for chunk in _chunks(notifications, 2000):
        db.session.execute(insert(Notification), list(chunk))
    for chunk in _chunks(mails, 2000):
        db.session.execute(insert(OutboxMessage), list(chunk))
    result.reminders[rules.ACTION_DUE] += len(inserted)
    result.notifications += len(notifications)
    result.mails += len(mails)


def send_action_reminders(today: date, now: datetime, result: SweepResult, *,
                          commit: Callable[[], None] | None = None) -> None:
    """Remind the owners of the open actions due today, once: the reminder of the sweep, keyed (case, ACTION_DUE,
    today), recorded with its notifications and mails in one transaction under the sweep lock. A second run, or
    one after a run killed midway, finds the key recorded and sends nothing again. An action made due today after
    the day's sweep gets no mail (it is on the werkvoorraad)."""
    keys = [(case_id, rules.Due(rules.ACTION_DUE, today)) for case_id in _cases_with_actions_due(today)]
    for batch in _batches(keys, SWEEP_BATCH):
        take_lock(SWEEP_LOCK_NAME, REMINDER_SWEEP, now, SWEEP_LOCK_LEASE)
        _queue_action_messages(_record_reminders(batch, now), today, now, result)
        release_lock(SWEEP_LOCK_NAME)
        db.session.flush()
        if commit is not None:
            commit()


def missed_reminders(case_id: int) -> list[Reminder]:
    """Reminders the sweep found too late to send (rules docstring), shown on the case so nobody thinks they went
    out. The caller has already loaded the case through ``get_visible_case``."""
    return list(db.session.scalars(
        select(Reminder).where(Reminder.case_id == case_id, Reminder.missed.is_(True))
        .order_by(Reminder.due_on, Reminder.id)
    ))
