"""`make run`: the web server and the scheduler as child processes, stopped together (development only)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HOST, PORT = "127.0.0.1", "5000"


def _commands() -> list[list[str]]:
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    commands = [[*flask, "run", "--host", HOST, "--port", PORT, "--no-reload"]]
    scheduler = [*flask, "scheduler", "run"]
    probe = subprocess.run([*scheduler, "--help"], capture_output=True, check=False)  # noqa: S603
    if probe.returncode == 0:
        commands.append(scheduler)
    return commands


def main() -> int:
    children = [subprocess.Popen(cmd) for cmd in _commands()]  # noqa: S603
    print(f"Thuiszitters draait op http://{HOST}:{PORT}/ (Ctrl-C stopt alles)", flush=True)

    def stop(*_args: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    return max((child.returncode or 0) for child in children) if os.environ.get("CI") else 0


if __name__ == "__main__":
    sys.exit(main())
