"""The scheduler's hourly purge of expired sessions and old login attempts leaves live sessions alone."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from tests import factories
from thuiszitters.accounts.models import LoginAttempt, UserSession
from thuiszitters.accounts.sessions import token_hash
from thuiszitters.clock import real_now_utc
from thuiszitters.extensions import db
from thuiszitters.scheduler import JOBS, run_job


def test_the_hourly_job_deletes_expired_sessions_and_old_attempts_only(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")  # a live session, in use right now
    now = real_now_utc()
    db.session.add_all([
        UserSession(token_hash=token_hash("idle"), data="{}", created_at=now - timedelta(hours=1),
                    last_seen_at=now - timedelta(minutes=31)),
        UserSession(token_hash=token_hash("too-old"), data="{}", created_at=now - timedelta(hours=13),
                    last_seen_at=now - timedelta(minutes=1)),
        LoginAttempt(occurred_at=now - timedelta(minutes=20), kind="password", account_key="a" * 64,
                     address_key="b" * 64),
        LoginAttempt(occurred_at=now - timedelta(minutes=1), kind="password", account_key="c" * 64,
                     address_key="d" * 64),
    ])
    db.session.commit()

    run_job(app, next(job for job in JOBS if job.id == "security_purge"))

    hashes = set(db.session.scalars(select(UserSession.token_hash)))
    assert token_hash("idle") not in hashes and token_hash("too-old") not in hashes
    assert len(hashes) == 1  # the coordinator's own session
    assert [a.account_key for a in db.session.scalars(select(LoginAttempt))] == ["c" * 64]
    assert client.get("/casussen").status_code == 200  # still logged in


def test_the_nightly_job_gives_sqlite_the_statistics_its_planner_needs(app):
    world = factories.world()
    for _ in range(3):
        factories.case(world.swv1, world.gem1, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own planner statistics; the job leaves it alone")
    db.session.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
    db.session.commit()

    run_job(app, next(job for job in JOBS if job.id == "planner_statistics"))

    analysed = set(db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")))
    assert {"case_file", "pupil"} <= analysed  # the tables with rows (an empty table gets no statistics)
