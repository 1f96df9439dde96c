"""The start page, the accessibility statement and the health check (blueprint `main`)."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.ops.services import last_heartbeat
from thuiszitters.permissions import start_page
from thuiszitters.text import utc_timestamp

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return redirect(url_for(start_page(current_user)))


@bp.route("/toegankelijkheid")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/healthz")
def healthz():
    """Liveness for load balancers: database reachable and the scheduler's last heartbeat. No personal data."""
    try:
        db.session.execute(text("SELECT 1"))
        heartbeat = last_heartbeat()
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
