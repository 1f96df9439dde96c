"""Test data: a factory for every model (FACTORIES; tests/web/test_factories.py proves none is missing).

Each factory adds and flushes, and commits nothing: tests commit when other code must see the data. Rows that the
app writes through a service (users, tokens, audit events) come from that service, so they are what the app makes.
"""
from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from thuiszitters.accounts.models import ApiToken, LoginAttempt, OidcIdentity, User, UserSession
from thuiszitters.accounts.services import UserInput, create_user, issue_token
from thuiszitters.accounts.sessions import token_hash
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.audit.models import AuditEvent, AuditEventCase, AuditNote
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record, record_list_read
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.casework import plan_services
from thuiszitters.casework import services as casework
from thuiszitters.casework.models import Action, JournalEntry, JournalRevision, Meeting, Participant
from thuiszitters.clock import now_utc, real_now_utc, today
from thuiszitters.documents.models import Document, DocumentChunk
from thuiszitters.escalation.terms import return_deadline
from thuiszitters.exports.models import ExportFile, ExportRun
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.ops.models import SchedulerState
from thuiszitters.reference.models import Gemeente, School, Swv
from thuiszitters.reminders.models import Reminder

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def swv(code: str = "PO 27-01", name: str | None = None) -> Swv:
    obj = Swv(code=code, name=name or f"Samenwerkingsverband {code}", sector=code[:2].lower(),
              email=f"swv{next(_seq)}@example.nl")
    db.session.add(obj)
    db.session.flush()
    return obj


def gemeente(code: str = "GM0363", name: str = "Amsterdam") -> Gemeente:
    obj = Gemeente(code=code, name=name)
    db.session.add(obj)
    db.session.flush()
    return obj


def school(brin: str = "07NU00", *, school_type: str = "po", swv_obj: Swv | None = None,
           gemeente_obj: Gemeente | None = None, name: str | None = None) -> School:
    obj = School(brin=brin, name=name or f"School {brin}", school_type=school_type, swv=swv_obj,
                 gemeente=gemeente_obj)
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role: str = "coordinator", *, email: str | None = None, swvs: tuple[str, ...] = (),
         gemeenten: tuple[str, ...] = (), name: str | None = None, password: str = PASSWORD):
    email = email or f"{role}{next(_seq)}@example.nl"
    return create_user(UserInput(email=email, name=name or email.split("@")[0].title(), role=role,
                                 swv_codes=swvs, gemeente_codes=gemeenten), password, actor_id=None)


def token(user_obj) -> str:
    return issue_token(user_obj, "test", actor_id=None).token


def case(swv_obj: Swv, gemeente_obj: Gemeente, *, out_of_school_since: date | None, status: str = "open",
         first_name: str = "Noah", last_name: str = "de Vries", date_of_birth: date = date(2014, 3, 1),
         bsn: str | None = None, absence_kind: str = "absoluut_verzuim", reference: str | None = None,
         school_obj: School | None = None) -> Case:
    """A case inserted directly (no audit trail), for tests about lists, scope and sweeps."""
    now = now_utc()
    obj = Case(
        reference=reference or f"TZ-TEST-{next(_seq):05d}", status=status,
        pupil=Pupil(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, bsn=bsn),
        swv=swv_obj, gemeente=gemeente_obj, school=school_obj, absence_kind=absence_kind,
        out_of_school_since=out_of_school_since,
        # A signal (out_of_school_since None) has no return deadline.
        return_deadline=return_deadline(out_of_school_since) if out_of_school_since is not None else None,
        last_activity_on=out_of_school_since or today(), created_at=now, updated_at=now,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def world():
    """Two swv's in two gemeenten with a coordinator, a leerplicht user, an inspectie user and an admin."""
    s1, s2 = swv("PO 27-01"), swv("VO 27-02")
    g1, g2 = gemeente("GM0363", "Amsterdam"), gemeente("GM0479", "Zaanstad")
    return SimpleNamespace(
        swv1=s1, swv2=s2, gem1=g1, gem2=g2,
        coordinator=user("coordinator", email="coord1@example.nl", swvs=("PO 27-01",)),
        coordinator2=user("coordinator", email="coord2@example.nl", swvs=("VO 27-02",)),
        leerplicht=user("leerplicht", email="lp1@example.nl", gemeenten=("GM0363",)),
        inspectie=user("inspectie", email="insp@example.nl"),
        admin=user("admin", email="admin@example.nl"),
    )


def _added(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def step(case_obj: Case, kind: str, *, created_at: datetime | None = None, **values: Any) -> Step:
    """A step of the chain inserted directly (no audit trail, no rules checked): `values` are Step's columns."""
    obj = Step(kind=kind, created_at=created_at or now_utc(), **values)
    case_obj.steps.append(obj)
    return _added(obj)


def alert(case_obj: Case, *, due_on: date, kind: str = "overdue", status: str = "open",
          created_at: datetime | None = None, **values: Any) -> Alert:
    return _added(Alert(case_id=case_obj.id, kind=kind, due_on=due_on, status=status,
                        created_at=created_at or now_utc(), **values))


def reminder(case_obj: Case, *, rule: str = "overdue", due_on: date) -> Reminder:
    return _added(Reminder(case_id=case_obj.id, rule=rule, due_on=due_on, created_at=now_utc()))


def notification(user_obj: User, case_obj: Case | None = None, *, message: str = "Er is een casus over de termijn.",
                 **values: Any) -> Notification:
    return _added(Notification(user_id=user_obj.id, case_id=case_obj.id if case_obj else None, message=message,
                               created_at=now_utc(), **values))


def outbox_message(recipient: str = "ontvanger@example.nl", *, subject: str = "Bericht",
                   body: str = "Er is een casus over de termijn.", status: str = "pending", **values: Any
                   ) -> OutboxMessage:
    now = now_utc()
    values = {"attempts": 0, "next_attempt_at": now, "created_at": now, **values}
    return _added(OutboxMessage(recipient=recipient, subject=subject, body=body, status=status, **values))


def scheduler_state(name: str = "scheduler", **values: Any) -> SchedulerState:
    return _added(SchedulerState(name=name, **values))


def export_run(month: str = "2026-10", *, files: tuple[str, ...] = ("cases.csv",)) -> ExportRun:
    """A stored run as the export list shows it (no files on disk: build_month_export makes real ones)."""
    return _added(ExportRun(month=month, created_at=now_utc(), case_count=0,
                            files=[ExportFile(name=name, sha256="0" * 64, size=0) for name in files]))


def export_file(run: ExportRun, name: str = "summary.csv") -> ExportFile:
    return _added(ExportFile(run=run, name=name, sha256="0" * 64, size=0))


def user_session(user_obj: User | None = None, *, token: str | None = None, age: timedelta = timedelta(0),
                 idle: timedelta = timedelta(0), data: str = "{}") -> UserSession:
    """A server-side session row; `age` since it began, `idle` since it was last seen (real time)."""
    now = real_now_utc()
    return _added(UserSession(token_hash=token_hash(token or f"session-{next(_seq)}"),
                              user_id=user_obj.id if user_obj else None, data=data, created_at=now - age,
                              last_seen_at=now - idle))


def login_attempt(*, account_key: str = "a" * 64, address_key: str = "b" * 64, kind: str = "password",
                  ago: timedelta = timedelta(0)) -> LoginAttempt:
    return _added(LoginAttempt(occurred_at=real_now_utc() - ago, kind=kind, account_key=account_key,
                               address_key=address_key))


def oidc_identity(user_obj: User, *, issuer: str = "https://idp.example.nl", subject: str | None = None
                  ) -> OidcIdentity:
    now = now_utc()
    return _added(OidcIdentity(user_id=user_obj.id, issuer=issuer, subject=subject or f"sub-{next(_seq)}",
                               bound_at=now, last_login_at=now))


def audit_event(case_obj: Case | None = None, *, action: str = "case.update", actor: User | None = None,
                changes: dict[str, Any] | None = None, reason: str | None = None) -> AuditEvent:
    """An event appended to the hash chain as the app appends it (with a reason: its AuditNote)."""
    return record(action, actor_id=actor.id if actor else None, activity=ACTIVITY_CASE_MANAGEMENT,
                  case_id=case_obj.id if case_obj else None, object_type="case",
                  object_id=case_obj.id if case_obj else None, changes=changes, reason=reason)


def audit_note(case_obj: Case, reason: str = "Leerling is verhuisd.") -> AuditNote:
    event = audit_event(case_obj, action="case.reopen", reason=reason)
    return db.session.get(AuditNote, event.id)


def audit_event_case(*cases: Case, actor: User | None = None) -> list[AuditEventCase]:
    """A list read that showed these cases: one chained event and its index rows."""
    event = record_list_read("case.list", actor_id=actor.id if actor else None, activity=ACTIVITY_CASE_MANAGEMENT,
                             case_ids=[c.id for c in cases], listed_on="/casussen")
    assert event is not None
    db.session.flush()
    return list(db.session.scalars(db.select(AuditEventCase).where(AuditEventCase.event_id == event.id)))


def participant(case_obj: Case, actor: User, *, role: str = "ouder", name: str = "Fatima el Amrani",
                **values: Any) -> Participant:
    """Someone in the case's network, added through the service (with its audit event): `values` are the other
    fields (organisation, email, phone, consent_to_share, note)."""
    return casework.add_participant(case_obj, {"role": role, "name": name, **values}, actor=actor)


def journal_entry(case_obj: Case, author: User, *, occurred_on: date | None = None, kind: str = "gesprek",
                  summary: str = "Gesprek met moeder over een nieuwe school.",
                  participants: tuple[Participant, ...] = ()) -> JournalEntry:
    """A journal entry written through the service (dated today unless told), with its audit event."""
    return casework.add_entry(case_obj, {"occurred_on": occurred_on or today(), "kind": kind, "summary": summary,
                                         "participant_ids": [p.id for p in participants]},
                              actor=author, today=today())


def journal_revision(entry: JournalEntry, summary: str = "Gecorrigeerd verslag.") -> JournalRevision:
    """The earlier version an author's correction leaves behind."""
    assert entry.author is not None
    casework.correct_entry(entry, {"summary": summary}, expected_version=entry.version, actor=entry.author,
                           today=today())
    return entry.revisions[-1]


def action(case_obj: Case, actor: User, *, description: str = "Gesprek plannen met de nieuwe school.",
           owner: User | Participant | None = None, due_on: date | None = None) -> Action:
    """An open action of the plan, added through the service (owned by `actor` unless told; due in a week)."""
    owner = owner or actor
    owned = {"owner_participant_id": owner.id} if isinstance(owner, Participant) else {"owner_user_id": owner.id}
    return plan_services.add_action(case_obj, {"description": description, "due_on": due_on or today() +
                                               timedelta(days=7), **owned}, actor=actor, today=today())


def meeting(case_obj: Case, actor: User, *, held_on: date | None = None, kind: str = "mdo",
            summary: str = "MDO met school en ouders.", present: tuple[Participant, ...] = (),
            agreements: tuple[dict[str, Any], ...] = ()) -> Meeting:
    """A meeting recorded through the service (today unless told); `agreements` as the service takes them."""
    return plan_services.add_meeting(case_obj, {"held_on": held_on or today(), "kind": kind, "summary": summary,
                                                "participant_ids": [p.id for p in present]},
                                     list(agreements), actor=actor, today=today())


# Every model and the factory that makes one (tests/web/test_factories.py).
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def document(case_obj: Case, *, uploaded_by: User | None = None, data: bytes = PDF_BYTES, kind: str = "opp",
             title: str = "OPP", file_name: str = "opp.pdf", media_type: str = "application/pdf",
             document_date: date | None = None) -> Document:
    """A document with its bytes inserted directly (one chunk; no content check, no audit trail)."""
    obj = _added(Document(case_id=case_obj.id, kind=kind, title=title, file_name=file_name, media_type=media_type,
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(), document_date=document_date,
                          uploaded_by_id=uploaded_by.id if uploaded_by else None, uploaded_at=now_utc()))
    _added(DocumentChunk(document_id=obj.id, seq=0, data=data))
    return obj


def document_chunk(case_obj: Case) -> DocumentChunk:
    return db.session.get(DocumentChunk, (document(case_obj).id, 0))


FACTORIES: dict[type, Callable[..., Any]] = {
    Swv: swv, Gemeente: gemeente, School: school, User: user, ApiToken: token, Case: case, Pupil: case,
    Step: step, Alert: alert, Reminder: reminder, Notification: notification, OutboxMessage: outbox_message,
    SchedulerState: scheduler_state, ExportRun: export_run, ExportFile: export_file, UserSession: user_session,
    LoginAttempt: login_attempt, OidcIdentity: oidc_identity, AuditEvent: audit_event, AuditNote: audit_note,
    AuditEventCase: audit_event_case, Participant: participant, JournalEntry: journal_entry,
    JournalRevision: journal_revision,
    Document: document, DocumentChunk: document_chunk, Action: action, Meeting: meeting,
}
