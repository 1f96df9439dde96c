"""The app as production serves it, and the commands that run beside it: for the load test and the API fuzzing.

gunicorn with `config/gunicorn.conf.py` on a loopback port (`start_gunicorn`, `stop`), flask commands repeated in
their own processes while users work (`RepeatedJob`: the reminder sweep and the month's export), and
`flask audit verify` afterwards.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    """gunicorn with the production settings file, bound to loopback, ``workers`` workers."""
    env = {**env, "THUISZITTERS_BIND": f"127.0.0.1:{port}", "THUISZITTERS_WORKERS": str(workers)}
    env.pop("FLASK_APP", None)
    log = open(log_path, "w")  # noqa: SIM115 - handed to the process, closed when the file object is collected
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "app:app"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer /healthz; see {log_path}")


def stop(process: subprocess.Popen) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


class RepeatedJob(threading.Thread):
    """A flask command run again and again (``pause`` s apart) from ``start_after`` s until ``stop_event``."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], *, start_after: float, pause: float,
                 stop_event: threading.Event) -> None:
        super().__init__(daemon=True, name=name)
        self.args = args
        self.env = {k: v for k, v in env.items() if k != "FLASK_APP"}
        self.start_after = start_after
        self.pause = pause
        self.stop_event = stop_event
        self.runs: list[dict] = []

    def run(self) -> None:
        if self.stop_event.wait(self.start_after):
            return
        while not self.stop_event.is_set():
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *self.args], cwd=ROOT,
                                    env=self.env, capture_output=True, text=True, check=False, timeout=900)
            self.runs.append({"seconds": round(time.perf_counter() - started, 2), "exit_code": result.returncode,
                              "output": (result.stdout + result.stderr).strip().splitlines()[:1]
                              + (result.stderr.strip().splitlines()[-3:] if result.returncode else [])})
            if self.stop_event.wait(self.pause):
                return

    def summary(self) -> dict:
        return {"runs": len(self.runs), "failed": sum(1 for r in self.runs if r["exit_code"] != 0),
                "seconds": [r["seconds"] for r in self.runs],
                "failures": [r["output"] for r in self.runs if r["exit_code"] != 0][:3]}


def background_jobs(env: dict[str, str], export_month: str, stop_event: threading.Event,
                    *, scale: float = 1.0) -> list[RepeatedJob]:
    """The reminder sweep and the month's export, started a little after the users and repeated until the end."""
    return [
        RepeatedJob("reminder sweep", ["reminders", "run"], env, start_after=5 * scale, pause=5 * scale,
                    stop_event=stop_event),
        RepeatedJob("inspectie export", ["export", "inspectie", "--month", export_month], env,
                    start_after=10 * scale, pause=5 * scale, stop_event=stop_event),
    ]


def audit_verify(env: dict[str, str]) -> dict:
    """`flask audit verify` on the database in ``env``: clean or not, and its first and last lines."""
    env = {k: v for k, v in env.items() if k != "FLASK_APP"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "audit", "verify"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False, timeout=900)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return {"exit_code": result.returncode, "clean": result.returncode == 0,
            "output": lines if len(lines) <= 3 else [*lines[:2], lines[-1]]}
