"""Start page, accessibility statement and health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select, text

from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.text import utc_timestamp

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.role == "admin" and not (current_user.swv_ids or current_user.gemeente_ids):
        return redirect(url_for("admin.users"))
    if current_user.role == "inspectie":
        return redirect(url_for("exports.index"))
    if current_user.role == "coordinator":
        return redirect(url_for("dashboard.coordinator"))
    if current_user.role == "leerplicht":
        return redirect(url_for("dashboard.leerplicht"))
    return redirect(url_for("cases.index"))


@bp.route("/toegankelijkheid")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz():
    """Liveness for load balancers: database reachable and the scheduler's last heartbeat. No personal data."""
    from thuiszitters.reminders.models import SchedulerState

    try:
        db.session.execute(text("SELECT 1"))
        heartbeat = db.session.scalar(
            select(SchedulerState.heartbeat_at).where(SchedulerState.name == "scheduler")
        )
        database_ok = True
    except Exception:
        db.session.rollback()
        heartbeat, database_ok = None, False
    age = (now_utc() - heartbeat).total_seconds() if heartbeat else None
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "unreachable",
        "scheduler": {
            "lastHeartbeat": utc_timestamp(heartbeat) if heartbeat else None,
            "ageSeconds": round(age) if age is not None else None,
        },
    }
    return jsonify(body), 200 if database_ok else 503
