"""The leerplicht review queue of overdue alerts (/signalen) and every user's notifications (/meldingen)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from thuiszitters.alerts import services
from thuiszitters.alerts.forms import AcknowledgeForm, MarkReadForm
from thuiszitters.alerts.kinds import ALERT_KIND_LABELS
from thuiszitters.alerts.models import Alert
from thuiszitters.audit.services import read_activity, record_list_read
from thuiszitters.clock import now_utc, today
from thuiszitters.escalation import spec
from thuiszitters.escalation.gate import stage_label
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require

bp = Blueprint("alerts", __name__)


@bp.route("/signalen")
def queue():
    require(current_user, Capability.REVIEW_ALERTS)
    return _queue_page(AcknowledgeForm())


def _queue_page(form: AcknowledgeForm, failed_alert_id: int | None = None) -> str:
    """The open alerts; after a refused note, with the message beside that alert's note and what was typed."""
    page = db.paginate(services.alerts_in_scope(current_user, "open"), per_page=25, max_per_page=100,
                       error_out=False)
    html = render_template("alerts/queue.html", page=page, form=form, spec=spec, stage_label=stage_label,
                           kind_labels=ALERT_KIND_LABELS, failed_alert_id=failed_alert_id)
    return _logged(html, [alert.case_id for alert in page.items])


@dataclass(frozen=True)
class _OneAlert:
    """One alert as a page of the queue (what queue.html reads of a page)."""

    alert: Alert
    page: int = 1
    pages: int = 1

    @property
    def items(self) -> list[Alert]:
        return [self.alert]


@bp.route("/signalen/<int:alert_id>")
def show(alert_id: int):
    """One open alert with its acknowledgement form: where the werkvoorraad sends a leerplicht user (the queue's
    pages move as alerts are handled). A handled one: the list of handled alerts."""
    require(current_user, Capability.REVIEW_ALERTS)
    alert = services.get_visible_alert(current_user, alert_id)
    if alert.status != "open":
        flash("Dit signaal is al afgehandeld.", "info")
        return redirect(url_for("alerts.history"))
    html = render_template("alerts/queue.html", page=_OneAlert(alert), form=AcknowledgeForm(), spec=spec,
                           stage_label=stage_label, kind_labels=ALERT_KIND_LABELS, failed_alert_id=None)
    return _logged(html, [alert.case_id])


@bp.route("/signalen/afgehandeld")
def history():
    require(current_user, Capability.REVIEW_ALERTS)
    page = db.paginate(services.alerts_in_scope(current_user, "acknowledged"), per_page=25, max_per_page=100,
                       error_out=False)
    html = render_template("alerts/history.html", page=page, kind_labels=ALERT_KIND_LABELS)
    return _logged(html, [alert.case_id for alert in page.items])


def _logged(html: str, case_ids: list[int]) -> str:
    """Log the list read once the page is rendered (the write lock is then held only for the append)."""
    record_list_read("case.list", actor_id=current_user.id, activity=read_activity(current_user.role),
                     case_ids=case_ids, listed_on=request.path)
    db.session.commit()
    return html


@bp.post("/signalen/<int:alert_id>/afhandelen")
def acknowledge(alert_id: int):
    require(current_user, Capability.REVIEW_ALERTS)
    services.get_visible_alert(current_user, alert_id)  # 404 before anything else
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _queue_page(form, failed_alert_id=alert_id), 400
    services.acknowledge_alert(current_user, alert_id, form.note.data, now_utc())
    db.session.commit()
    flash("Het signaal is afgehandeld.", "success")
    return redirect(url_for("alerts.queue"))


@bp.route("/meldingen")
def notifications():
    """The user's notifications grouped per case (the pupil named while the case is in scope), the case with the
    newest notification first; a page holds 20 cases. Naming pupils makes it a list read."""
    page = db.paginate(services.notification_cases(current_user), per_page=20, max_per_page=100, error_out=False)
    groups = services.notification_groups(current_user, list(page.items))
    html = render_template("alerts/notifications.html", page=page, groups=groups, form=MarkReadForm())
    return _logged(html, [group.case.id for group in groups if group.case is not None])


@bp.route("/meldingen/<int:notification_id>")
def open_notification(notification_id: int):
    """Opening a notification marks it read and goes to its case (another user's: back to the list, unchanged)."""
    case_id = services.open_notification(current_user, notification_id, now_utc())
    db.session.commit()
    if case_id is None:
        return redirect(url_for("alerts.notifications"))
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/meldingen/gelezen")
def mark_all_read():
    form = MarkReadForm()
    if form.validate_on_submit():
        services.mark_read(current_user, None, now_utc())
        db.session.commit()
    return redirect(url_for("alerts.notifications"))


@bp.post("/meldingen/<int:notification_id>/gelezen")
def mark_read(notification_id: int):
    """Another user's notification is silently left alone: the answer does not reveal that it exists."""
    form = MarkReadForm()
    if form.validate_on_submit():
        services.mark_read(current_user, notification_id, now_utc())
        db.session.commit()
    return redirect(url_for("alerts.notifications"))


@bp.app_template_global("case_alerts")
def case_alerts(case_id: int) -> services.CaseAlertState:
    """For the case page (the caller already loaded the case via get_visible_case)."""
    return services.case_alert_state(case_id)


@bp.app_template_global("open_alert_counts")
def open_alert_counts(case_ids: list[int]) -> dict[int, int]:
    """For a page of the case list: {case_id: open alerts}."""
    return services.open_alert_counts(case_ids)


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user)


@bp.app_template_global("alert_kind_label")
def alert_kind_label(kind: str) -> str:
    return ALERT_KIND_LABELS.get(kind, kind)


@bp.app_template_global("days_overdue")
def days_overdue(return_deadline) -> int:
    return max(0, (today() - return_deadline).days)
