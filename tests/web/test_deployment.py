"""Production shape: gunicorn with 2 workers and, by mistake, 2 scheduler processes on one database.

Cases are registered through the API served by gunicorn, already past their return deadline; both schedulers
catch up at start. Every reminder must reach the SMTP server exactly once, and /healthz shows the heartbeat.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import SmtpServer, free_port
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage
from thuiszitters.reminders.models import Reminder

ROOT = Path(__file__).resolve().parents[2]


def _http(method: str, url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback URL we built
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not up yet, or too busy to answer within the request timeout: ask again
        time.sleep(0.3)
    return False


def test_gunicorn_workers_and_two_schedulers_send_each_reminder_once(app, database_url, tmp_path):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    smtp = SmtpServer().start()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "THUISZITTERS_ENV": "testing",
           "THUISZITTERS_FIXED_TODAY": "2026-11-02", "THUISZITTERS_MAIL_SERVER": "127.0.0.1",
           "THUISZITTERS_MAIL_PORT": str(smtp.port), "THUISZITTERS_EXPORT_DIR": str(tmp_path / "exports")}
    env.pop("FLASK_APP", None)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "app:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    schedulers: list[subprocess.Popen] = []
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _http("GET", f"{base}/healthz")[0] == 200), "gunicorn did not start"
        references = []
        for day in range(1, 9):
            status, case = _http("POST", f"{base}/api/v1/cases", token, {
                "pupil": {"firstName": "Fenna", "lastName": f"de Vries {day}", "dateOfBirth": "2014-02-0" + str(day),
                          "gemeenteCode": "GM0363"},
                "swvCode": "PO 27-01", "absenceKind": "relatief_verzuim", "outOfSchoolSince": f"2026-07-0{day}"})
            assert status == 201, case
            assert case["overdue"] is True  # registered late: past its deadline at once
            references.append(case["reference"])

        schedulers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
                                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                      for _ in range(2)]

        def delivered() -> bool:
            db.session.rollback()
            statuses = db.session.scalars(select(OutboxMessage.status)).all()
            return bool(statuses) and set(statuses) == {"sent"}

        assert _wait_for(delivered), "the schedulers did not sweep and deliver"
        health = _wait_for(lambda: _http("GET", f"{base}/healthz")[1]["scheduler"]["lastHeartbeat"] is not None)
        assert health, "no scheduler heartbeat in /healthz"
        time.sleep(2)  # room for a duplicate to show up
    finally:
        for process in [*schedulers, web]:
            process.send_signal(signal.SIGTERM)
        for process in [*schedulers, web]:
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()

    mails = smtp.inbox.take()
    per_recipient_and_case = Counter(
        (m["X-Envelope-To"], m["Subject"]) for m in mails)
    assert mails and all(count == 1 for count in per_recipient_and_case.values()), per_recipient_and_case
    overdue_to_leerplicht = [m for m in mails if m["X-Envelope-To"] == "lp1@example.nl"]
    assert {ref for ref in references if any(ref in m["Subject"] or ref in m.get_content() for m in
                                             overdue_to_leerplicht)} == set(references)
    keys = db.session.execute(select(Reminder.case_id, Reminder.rule, Reminder.due_on)).all()
    assert len(keys) == len(set(keys))
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == len(mails)
    for mail in mails:  # never a pupil's name in a mail
        assert "Fenna" not in mail.get_content() and "de Vries" not in mail.get_content()
