"""Housekeeping of the security tables, run hourly by the scheduler and on demand by `flask security purge`."""
from __future__ import annotations

from flask import current_app

from thuiszitters.accounts.sessions import purge_expired_sessions
from thuiszitters.accounts.throttle import purge_old_attempts
from thuiszitters.clock import real_now_utc


def purge_security_records() -> str:
    """Delete expired sessions and login attempts older than the throttling window; does not commit.

    Session timeouts are real time, whatever date the app's clock is pinned to, so this reads the real clock.
    Returns a one-line summary for the job log ("" when there was nothing to delete).
    """
    now = real_now_utc()
    sessions = purge_expired_sessions(current_app, now)
    attempts = purge_old_attempts(now)
    if not (sessions or attempts):
        return ""
    return f"{sessions} verlopen sessie(s) en {attempts} oude inlogpoging(en) verwijderd"
