"""Migration 0009_outcomes_signals moves existing data honestly, on SQLite and on PostgreSQL.

Old rows go in at revision 0008 (the schema as it was), the migration runs, and the rows that come out are checked:
an exemption, a move or "overig" closed with an "offer" date keeps that date as its closing date and loses the
offer (so it no longer counts as goal met); an offer outcome is untouched; no step, reminder or alert is lost on
SQLite's table rebuild; a signal fits afterwards; and a downgrade refuses while signals exist.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from thuiszitters import create_app
from thuiszitters.extensions import db

SCHEMA = "migration_0009"
NOW = "2026-10-01 09:00:00+00:00"


@pytest.fixture
def migration_app(database_url: str, tmp_path: Path) -> Iterator:
    """An app on an empty database of its own: a SQLite file, or a schema of its own on PostgreSQL."""
    overrides = {"TESTING": True, "EXPORT_DIR": str(tmp_path / "exports")}
    engine = None
    if database_url.startswith("postgres"):
        engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        overrides |= {"SQLALCHEMY_DATABASE_URI": database_url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-c search_path={SCHEMA}"}}}
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migration.db'}"
    app = create_app(overrides)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            engine.dispose()


def _run(sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


# (reference, status, outcome, out_of_school_since, offer_started_on, closed_on) as the old code stored them.
OLD_CASES = [
    ("TZ-OLD-VRIJ", "closed", "vrijstelling", date(2026, 1, 12), date(2026, 5, 4), date(2026, 5, 20)),
    ("TZ-OLD-VERH", "closed", "verhuisd", date(2026, 2, 2), date(2026, 3, 1), date(2026, 3, 9)),
    ("TZ-OLD-OVER", "closed", "overig", date(2026, 3, 2), date(2026, 4, 1), date(2026, 4, 1)),
    ("TZ-OLD-MAAT", "closed", "maatwerk", date(2026, 1, 5), date(2026, 3, 2), date(2026, 3, 10)),
    ("TZ-OLD-OPEN", "open", None, date(2026, 9, 1), None, None),
]


def _old_data() -> None:
    _run("INSERT INTO swv (id, code, name, sector) VALUES (1, 'PO 27-01', 'Swv', 'po')")
    _run("INSERT INTO gemeente (id, code, name) VALUES (1, 'GM0363', 'Amsterdam')")
    for number, (reference, status, outcome, since, offer, closed_on) in enumerate(OLD_CASES, start=1):
        _run("INSERT INTO pupil (id, first_name, last_name, date_of_birth) VALUES (:id, 'Noah', 'de Vries', "
             ":born)", id=number, born=date(2014, 3, 1))
        _run("INSERT INTO case_file (id, reference, status, pupil_id, swv_id, gemeente_id, absence_kind, "
             "out_of_school_since, return_deadline, outcome, offer_started_on, closed_on, last_activity_on, "
             "created_at, updated_at, version) VALUES (:id, :reference, :status, :id, 1, 1, 'absoluut_verzuim', "
             ":since, :since, :outcome, :offer, :closed_on, :since, :now, :now, 3)",
             id=number, reference=reference, status=status, since=since, outcome=outcome, offer=offer,
             closed_on=closed_on, now=NOW)
        # Every case has a step, a reminder and an alert: a table rebuild must not cascade them away.
        _run("INSERT INTO case_step (case_id, kind, created_at, received_on) VALUES (:id, 'aanmelding', :now, "
             ":since)", id=number, since=since, now=NOW)
        _run("INSERT INTO reminder (case_id, rule, due_on, created_at) VALUES (:id, 'halfway', :since, :now)",
             id=number, since=since, now=NOW)
        _run("INSERT INTO alert (case_id, kind, due_on, created_at, status) VALUES (:id, 'overdue', :since, :now, "
             "'open')", id=number, since=since, now=NOW)


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def test_existing_outcomes_are_migrated_honestly_and_nothing_is_lost(migration_app):
    upgrade(revision="0008_oidc")
    _old_data()
    upgrade(revision="0009_outcomes_signals")

    rows = {ref: (status, outcome, _as_date(offer), _as_date(closed_on), version)
            for ref, status, outcome, offer, closed_on, version in _rows(
                "SELECT reference, status, outcome, offer_started_on, closed_on, version FROM case_file")}
    # No offer for an exemption, a move or "overig": the date they gave is when it ended, now the closing date.
    assert rows["TZ-OLD-VRIJ"] == ("closed", "vrijstelling", None, date(2026, 5, 4), 3)
    assert rows["TZ-OLD-VERH"] == ("closed", "verhuisd", None, date(2026, 3, 1), 3)
    assert rows["TZ-OLD-OVER"] == ("closed", "overig", None, date(2026, 4, 1), 3)
    # A passend aanbod keeps its offer and its closing date.
    assert rows["TZ-OLD-MAAT"] == ("closed", "maatwerk", date(2026, 3, 2), date(2026, 3, 10), 3)
    assert rows["TZ-OLD-OPEN"] == ("open", None, None, None, 3)
    # The rebuild of case_file cascaded nothing away, and every existing reminder was sent (not missed).
    assert _rows("SELECT count(*) FROM case_step") == [(len(OLD_CASES),)]
    assert _rows("SELECT count(*) FROM alert") == [(len(OLD_CASES),)]
    assert [bool(missed) for (missed,) in _rows("SELECT missed FROM reminder")] == [False] * len(OLD_CASES)
    # A signal has no first day out of school and no return deadline: that fits now.
    _run("INSERT INTO pupil (id, first_name, last_name, date_of_birth) VALUES (99, 'Sara', 'Bakker', :born)",
         born=date(2016, 1, 1))
    _run("INSERT INTO case_file (id, reference, status, pupil_id, swv_id, gemeente_id, absence_kind, "
         "last_activity_on, created_at, updated_at, version) VALUES (99, 'TZ-SIGNAAL', 'signaal', 99, 1, 1, "
         "'relatief_verzuim', :today, :now, :now, 1)", today=date(2026, 10, 1), now=NOW)
    assert _rows("SELECT out_of_school_since, return_deadline FROM case_file WHERE id = 99") == [(None, None)]


def test_downgrade_refuses_while_signals_exist_and_otherwise_restores_the_old_shape(migration_app, capfd):
    upgrade(revision="0008_oidc")
    _old_data()
    upgrade(revision="0009_outcomes_signals")
    _run("INSERT INTO pupil (id, first_name, last_name, date_of_birth) VALUES (99, 'Sara', 'Bakker', :born)",
         born=date(2016, 1, 1))
    _run("INSERT INTO case_file (id, reference, status, pupil_id, swv_id, gemeente_id, absence_kind, "
         "last_activity_on, created_at, updated_at, version) VALUES (99, 'TZ-SIGNAAL', 'signaal', 99, 1, 1, "
         "'relatief_verzuim', :today, :now, :now, 1)", today=date(2026, 10, 1), now=NOW)
    with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's refusal and exits
        downgrade(revision="0008_oidc")
    assert "1 signal(s) have no first day out of school" in capfd.readouterr().err
    assert _rows("SELECT count(*) FROM case_file WHERE id = 99") == [(1,)]
    db.session.remove()
    _run("DELETE FROM case_file WHERE id = 99")
    downgrade(revision="0008_oidc")
    offers = dict(_rows("SELECT reference, offer_started_on FROM case_file"))
    assert _as_date(offers["TZ-OLD-VRIJ"]) == date(2026, 5, 4)  # the old code needs an offer date on every close
    assert _as_date(offers["TZ-OLD-MAAT"]) == date(2026, 3, 2)
    assert _rows("SELECT count(*) FROM case_step") == [(len(OLD_CASES),)]
