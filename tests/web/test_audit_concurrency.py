"""The hash chain holds under concurrent writers: OS processes appending at once, and gunicorn workers serving
case pages (each read is an audit event) to many clients. Afterwards `flask audit verify` finds nothing, and
no request failed on a busy database."""
from __future__ import annotations

import http.cookiejar
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import free_port
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.verify import verify_chain
from thuiszitters.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
EVENTS_PER_PROCESS = 40


def _append_events(database_url: str, worker: int, start_at: float) -> int:
    """One OS process: read a case, then append an event, each in its own transaction, as a case page does."""
    from thuiszitters import create_app
    from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
    from thuiszitters.cases.models import Case

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).limit(1))
        time.sleep(max(0.0, start_at - time.time()))
        for n in range(EVENTS_PER_PROCESS):
            db.session.scalar(select(Case.reference).where(Case.id == case_id))
            record("case.read", actor_id=None, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case_id,
                   object_type="case", object_id=case_id, changes={"worker": [None, worker], "n": [None, n]})
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return EVENTS_PER_PROCESS


def test_processes_appending_at_once_keep_one_unbroken_chain(app, database_url, runner):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    start_at = time.time() + 3  # every process is up and waiting before the first append
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        written = pool.starmap(_append_events, [(database_url, worker, start_at) for worker in range(PROCESSES)],
                               chunksize=1)

    assert sum(written) == PROCESSES * EVENTS_PER_PROCESS
    db.session.expire_all()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.read"))
    assert events == PROCESSES * EVENTS_PER_PROCESS
    prev_hashes = Counter(db.session.scalars(select(AuditEvent.prev_hash)))
    assert max(prev_hashes.values()) == 1, "two events were chained to the same predecessor"
    report = verify_chain()
    assert report.ok, report.problems[:3]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


CLIENTS = 8
READS_PER_CLIENT = 20
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Browser:
    """A logged-in user with a cookie jar, as a browser keeps one."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers=headers or {})  # noqa: S310 - loopback
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def login(self, email: str) -> None:
        _, page = self.get("/login")
        token = CSRF_RE.search(page).group(1)
        body = urllib.parse.urlencode({"email": email, "password": factories.PASSWORD, "csrf_token": token})
        request = urllib.request.Request(self.base + "/login", data=body.encode(), method="POST")  # noqa: S310
        with self.opener.open(request, timeout=60) as response:
            assert response.status == 200 and "/login" not in response.url


def _wait_for_health(browser: _Browser, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if browser.get("/healthz")[0] == 200:
                return True
        except OSError:  # not up yet (URLError, a refused connection, a read timeout)
            pass
        time.sleep(0.3)
    return False


def test_gunicorn_workers_serving_case_pages_at_once_keep_the_chain_and_never_fail(app, database_url, runner):
    w = factories.world()
    cases = [factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, day)) for day in range(1, 5)]
    token = factories.token(w.coordinator)
    db.session.commit()
    case_ids = [case.id for case in cases]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "THUISZITTERS_ENV": "testing"}
    env.pop("FLASK_APP", None)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "app:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def reader(index: int) -> list[int]:
        browser = _Browser(base)
        statuses = []
        if index % 2:  # half the clients use the API with a token, half the web pages with a session
            headers = {"Authorization": f"Bearer {token}"}
            for n in range(READS_PER_CLIENT):
                statuses.append(browser.get(f"/api/v1/cases/{case_ids[n % len(case_ids)]}", headers)[0])
        else:
            browser.login("coord1@example.nl")
            for n in range(READS_PER_CLIENT):
                statuses.append(browser.get(f"/casussen/{case_ids[n % len(case_ids)]}")[0])
        return statuses

    try:
        assert _wait_for_health(_Browser(base)), "gunicorn did not start"
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [status for result in pool.map(reader, range(CLIENTS)) for status in result]
    finally:
        web.send_signal(signal.SIGTERM)
        try:
            _, errors = web.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()
            _, errors = web.communicate()

    assert Counter(statuses) == {200: CLIENTS * READS_PER_CLIENT}, errors.decode()[-3000:]
    db.session.expire_all()
    reads = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.read"))
    assert reads == CLIENTS * READS_PER_CLIENT
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "In orde" in result.output
