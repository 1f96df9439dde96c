"""`make run` (thuiszitters.devserver): a taken port fails loudly, the log is quiet, the logins come last."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from thuiszitters import devserver

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("THUISZITTERS_")}
    env.update({"PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
                "THUISZITTERS_EXPORT_DIR": str(tmp_path / "exports"), **extra})
    env.pop("LOG_LEVEL", None)
    env.update(extra)
    return env


@pytest.mark.parametrize("args", [[], ["--check"]])
def test_a_taken_port_stops_make_run_with_a_clear_message_and_a_failing_exit_status(tmp_path, args):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "thuiszitters.devserver", *args], cwd=ROOT,
                                env=_env(tmp_path, port), capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"Poort {port} op 127.0.0.1 is al in gebruik" in result.stderr
    assert "draait op" not in result.stdout  # it never claims to run


@pytest.mark.parametrize(("name", "value"), [("PORT", "http"), ("PORT", "70000"), ("LOG_LEVEL", "loud")])
def test_a_wrong_port_or_log_level_is_refused_before_anything_starts(name, value):
    with pytest.raises(devserver.StartError, match=name):
        devserver.checked_settings({"PORT": "5000", name: value})


def test_the_port_comes_from_PORT_and_defaults_to_5000():
    assert devserver.port_from({}) == 5000
    assert devserver.port_from({"PORT": "5181"}) == 5181
    assert devserver.log_level_from({}) == "warning"


def test_the_banner_says_how_mail_and_mfa_behave_and_ends_with_the_demo_logins():
    lines = devserver.banner(5181, "warning", mail_server="", mfa_required=False)
    text = "\n".join(lines)
    assert "http://127.0.0.1:5181/" in text
    assert "geen SMTP-server" in text and "http://127.0.0.1:5181/beheer/mail" in text
    assert "Tweestapsverificatie: staat uit in de ontwikkelomgeving" in text
    assert lines[-1].strip().startswith("admin@demo.thuiszitters.nl")
    assert "smtp.example.nl" in "\n".join(devserver.banner(5181, "info", mail_server="smtp.example.nl",
                                                           mfa_required=True))


def test_make_run_serves_quietly_and_prints_the_logins_after_the_server_and_scheduler_are_up(tmp_path):
    port = _free_port()
    env = _env(tmp_path, port)
    upgrade = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120, check=False)
    assert upgrade.returncode == 0, upgrade.stderr
    process = subprocess.Popen([sys.executable, "-m", "thuiszitters.devserver"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while not any(line.strip().startswith("admin@demo") for line in lines):
            assert time.monotonic() < deadline and process.poll() is None, "".join(lines)
            lines.append(process.stdout.readline())
        # It answers, and the requests leave no line in the log.
        for path in ("/login", "/healthz", "/login"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                assert response.status == 200
        time.sleep(1)
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    output = "".join(lines) + rest
    assert process.returncode == 0
    started = output.index("draait op")
    assert output.index("Demo-logins") > started and output.index("geen SMTP-server") > started
    assert "GET /login" not in output and '"requestId"' not in output  # quiet: no line per request
