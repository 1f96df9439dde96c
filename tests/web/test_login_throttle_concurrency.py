"""The login throttle counts atomically: guesses that arrive at once at two gunicorn workers get exactly the
allowed number of password checks, never one more."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from tests import factories
from tests.smtp_server import free_port
from thuiszitters.accounts.models import LoginAttempt
from thuiszitters.accounts.throttle import MAX_ACCOUNT_FAILURES
from thuiszitters.extensions import db

ROOT = Path(__file__).resolve().parents[2]
GUESSES = 16
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _wait_for(base: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return True
        except OSError:  # not up yet (URLError, a refused connection, a read timeout)
            pass
        time.sleep(0.3)
    return False


def test_simultaneous_wrong_passwords_on_two_workers_get_exactly_the_allowed_checks(app, database_url):
    factories.world()
    db.session.commit()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "THUISZITTERS_ENV": "testing"}
    env.pop("FLASK_APP", None)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "app:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> int:
        opener = _opener()
        with opener.open(f"{base}/login", timeout=60) as page:
            token = CSRF_RE.search(page.read().decode()).group(1)
        body = urllib.parse.urlencode({"email": "coord1@example.nl", "password": f"fout-wachtwoord-{n:04d}",
                                       "csrf_token": token}).encode()
        start.wait(timeout=60)
        try:
            with opener.open(urllib.request.Request(f"{base}/login", data=body, method="POST"),  # noqa: S310
                             timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        assert _wait_for(base), "gunicorn did not start"
        with ThreadPoolExecutor(GUESSES) as pool:
            statuses = Counter(pool.map(guess, range(GUESSES)))
    finally:
        web.send_signal(signal.SIGTERM)
        try:
            _, errors = web.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()
            _, errors = web.communicate()

    # 400: the password was checked and was wrong; 429: refused before any check.
    assert statuses == {400: MAX_ACCOUNT_FAILURES, 429: GUESSES - MAX_ACCOUNT_FAILURES}, errors.decode()[-2000:]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == MAX_ACCOUNT_FAILURES
