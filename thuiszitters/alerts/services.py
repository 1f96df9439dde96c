"""The leerplicht review of overdue alerts, the alert state of a case, and in-app notifications."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update

from thuiszitters.accounts.models import User
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.audit.services import ACTIVITY_LEERPLICHT, record
from thuiszitters.cases.models import Case
from thuiszitters.cases.scope import case_scope_clause, visible_cases
from thuiszitters.errors import DomainError, InvalidParam, NotFound, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require


def alerts_in_scope(user: User, status: str = "open") -> Any:
    """The alerts on cases the user may see; open ones most overdue first, handled ones newest first."""
    query = (
        select(Alert)
        .join(Case, Case.id == Alert.case_id)
        .where(case_scope_clause(user), Case.anonymised_at.is_(None), Alert.status == status)
    )
    if status == "open":
        return query.order_by(Case.return_deadline, Alert.due_on, Alert.id)
    return query.order_by(Alert.acknowledged_at.desc(), Alert.id.desc())


def get_visible_alert(user: User, alert_id: int) -> Alert:
    """The alert if its case is in the user's scope; NotFound otherwise (no leaking that it exists)."""
    alert = db.session.scalar(
        select(Alert).join(Case, Case.id == Alert.case_id)
        .where(Alert.id == alert_id, case_scope_clause(user), Case.anonymised_at.is_(None))
    )
    if alert is None:
        raise NotFound()
    return alert


# An acknowledgement's note (the form, the API and the OpenAPI document hold it to this too).
MAX_NOTE_LENGTH = 2000


def acknowledge_alert(user: User, alert_id: int, note: str | None, now: datetime) -> Alert:
    """A leerplicht user acknowledges an open alert in its scope with a note; writes the audit event."""
    require(user, Capability.REVIEW_ALERTS, "Alleen een leerplichtambtenaar kan een signaal afhandelen.")
    alert = get_visible_alert(user, alert_id)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed([InvalidParam("note", "required",
                                             "Vul een notitie in: wat heeft u gedaan of besloten?")])
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed([InvalidParam("note", "too_long", "De notitie is te lang (ten hoogste 2000 tekens).")])
    # A conditional update, so two people acknowledging at once cannot both succeed.
    changed = db.session.execute(
        update(Alert)
        .where(Alert.id == alert.id, Alert.status == "open")
        .values(status="acknowledged", acknowledged_by_id=user.id, acknowledged_at=now, note=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise AlertAlreadyHandled()
    db.session.refresh(alert)
    record("alert.acknowledge", actor_id=user.id, activity=ACTIVITY_LEERPLICHT, case_id=alert.case_id,
           object_type="alert", object_id=alert.id, changes={"status": ["open", "acknowledged"]})
    return alert


class AlertAlreadyHandled(DomainError):
    code = "alert_acknowledged"
    title = "Signaal al afgehandeld"

    def __init__(self) -> None:
        super().__init__("Dit signaal is al afgehandeld door een leerplichtambtenaar.")


@dataclass(frozen=True)
class CaseAlertState:
    """What a case page shows about its alerts (for coordinators and leerplicht alike)."""

    open_alerts: list[Alert]
    last_acknowledged: Alert | None

    @property
    def has_open(self) -> bool:
        return bool(self.open_alerts)


def case_alert_state(case_id: int) -> CaseAlertState:
    """The alert state of one case; the caller has already loaded the case through ``get_visible_case``."""
    open_alerts = list(db.session.scalars(
        select(Alert).where(Alert.case_id == case_id, Alert.status == "open").order_by(Alert.due_on)
    ))
    last = db.session.scalar(
        select(Alert).where(Alert.case_id == case_id, Alert.status == "acknowledged")
        .order_by(Alert.acknowledged_at.desc()).limit(1)
    )
    return CaseAlertState(open_alerts, last)


def open_alert_counts(case_ids: Iterable[int]) -> dict[int, int]:
    """Open alerts per case, for a page of the case list (ids the caller got from ``visible_cases``)."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Alert.case_id, func.count()).where(Alert.case_id.in_(ids), Alert.status == "open")
        .group_by(Alert.case_id)
    )
    return {case_id: count for case_id, count in rows}


# --- Notifications ------------------------------------------------------------------------------------------


def notifications_for(user: User) -> Any:
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def notification_cases(user: User) -> Any:
    """The cases the user's notifications are about (None for one about no case), the case with the newest
    notification first: a page of the grouped Meldingen page (``db.paginate`` over it)."""
    return (
        select(Notification.case_id)
        .where(Notification.user_id == user.id)
        .group_by(Notification.case_id)
        .order_by(func.max(Notification.created_at).desc(), func.max(Notification.id).desc())
    )


@dataclass(frozen=True)
class NotificationGroup:
    """The notifications about one case, newest first. ``case`` is None when the user may no longer see it (or it
    is about no case): then the group names no pupil and links nowhere."""

    case_id: int | None
    case: Case | None
    notifications: list[Notification]

    @property
    def unread(self) -> int:
        return sum(1 for n in self.notifications if n.read_at is None)


def notification_groups(user: User, case_ids: list[int | None]) -> list[NotificationGroup]:
    """The user's notifications about these cases (a page of ``notification_cases``), grouped in that order.

    A case is named (pupil and reference) only while it is in the user's scope: a notification outlives a
    transfer to another swv, the right to see the pupil does not.
    """
    ids = [case_id for case_id in case_ids if case_id is not None]
    about = Notification.case_id.in_(ids)
    if None in case_ids:
        about = or_(about, Notification.case_id.is_(None))
    found: dict[int | None, list[Notification]] = {case_id: [] for case_id in case_ids}
    for notification in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, about)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    ):
        found[notification.case_id].append(notification)
    visible = {case.id: case for case in db.session.scalars(visible_cases(user).where(Case.id.in_(ids)))} \
        if ids else {}
    return [NotificationGroup(case_id, visible.get(case_id) if case_id is not None else None, found[case_id])
            for case_id in case_ids]


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def open_notification(user: User, notification_id: int, now: datetime) -> int | None:
    """The user opens one of its notifications: it is read from now on. Returns the case it is about (None for
    none, or when it is not the user's: the answer does not reveal that another user's exists)."""
    case_id = db.session.scalar(select(Notification.case_id).where(Notification.id == notification_id,
                                                                   Notification.user_id == user.id))
    mark_read(user, notification_id, now)
    return case_id


def mark_read(user: User, notification_id: int | None, now: datetime) -> int:
    """Mark one (or, with None, every) unread notification of the user as read; another user's id changes nothing.

    Returns how many were marked."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=now).execution_options(synchronize_session=False)).rowcount
