"""Operations: JSON logs without personal data, the health check, and SQLite backups that restore."""
import json
import logging
import sqlite3
from datetime import date

from tests import factories
from thuiszitters.extensions import db
from thuiszitters.logs import JsonFormatter


def test_log_lines_are_json_with_request_user_and_case_ids_but_no_names(app, client, auth):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Geheimenaam",
                          bsn="111222333")
    db.session.commit()
    auth.login("coord1@example.nl")
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    logger = logging.getLogger("thuiszitters.access")
    handler = Capture()
    logger.addHandler(handler)
    app.testing = False  # the access log is off in tests by default
    try:
        response = client.get(f"/casussen/{case.id}", headers={"X-Request-ID": "req-123"})
    finally:
        app.testing = True
        logger.removeHandler(handler)
    assert response.headers["X-Request-ID"] == "req-123"
    entry = json.loads(records[-1])
    assert entry["requestId"] == "req-123"
    assert entry["userId"] == w.coordinator.id
    assert entry["caseId"] == case.id
    assert entry["status"] == 200
    assert "Geheimenaam" not in records[-1] and "111222333" not in records[-1]


def test_healthz_reports_database_and_scheduler_without_personal_data(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["scheduler"]["lastHeartbeat"] is None


def test_sqlite_backup_restores_everything(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        return
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Zoë")
    db.session.commit()
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", "--out", str(target)])
    assert result.exit_code == 0, result.output
    restored = sqlite3.connect(target)
    assert restored.execute("SELECT first_name FROM pupil").fetchall() == [("Zoë",)]
    assert restored.execute("SELECT count(*) FROM user_account").fetchone()[0] == 5
    restored.close()
    again = runner.invoke(args=["backup", "--out", str(target)])
    assert again.exit_code == 1  # never overwrites an earlier backup
