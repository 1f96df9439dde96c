"""`make run`: the web server and the scheduler as child processes, stopped together.

- The port comes from ``PORT`` (default 5000). A port that is taken stops everything with a clear message and
  exit status 1, before anything starts (macOS's AirPlay receiver listens on 5000); ``--check`` does only that.
- The log is quiet: warnings and errors only, no line per request. ``LOG_LEVEL=info make run`` shows every
  request again (``debug`` shows more).
- Once the server answers and the scheduler runs, it says where, how mail and MFA behave in development, and
  prints the demo logins last, where they do not scroll away.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from thuiszitters import create_app
from thuiszitters.seed.demo import DEMO_PASSWORD, demo_logins

HOST = "127.0.0.1"
DEFAULT_PORT = 5000
LOG_LEVELS = ("debug", "info", "warning", "error")
STARTUP_SECONDS = 30


class StartError(Exception):
    """Nothing was started, or what started has been stopped again; the message says why."""


def port_from(environ: dict[str, str]) -> int:
    raw = environ.get("PORT", "").strip() or str(DEFAULT_PORT)
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise StartError(f"PORT moet een poortnummer van 1 tot en met 65535 zijn, niet {raw!r}.")
    return int(raw)


def log_level_from(environ: dict[str, str]) -> str:
    level = (environ.get("LOG_LEVEL") or "warning").strip().lower()
    if level not in LOG_LEVELS:
        raise StartError(f"LOG_LEVEL moet een van {', '.join(LOG_LEVELS)} zijn, niet {level!r}.")
    return level


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _flask() -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback address
            return response.status in (200, 503)
    except urllib.error.HTTPError as exc:
        return exc.code in (200, 503)
    except OSError:
        return False


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _start(port: int, env: dict[str, str]) -> list[subprocess.Popen]:
    server = subprocess.Popen([*_flask(), "run", "--host", HOST, "--port", str(port), "--no-reload"], env=env)  # noqa: S603
    children = [server]
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(f"http://{HOST}:{port}/healthz"):
        if server.poll() is not None:
            raise StartError(f"De webserver stopte meteen (status {server.returncode}); zie de melding hierboven.")
        if time.monotonic() > deadline:
            _stop(children)
            raise StartError(f"De webserver antwoordde niet binnen {STARTUP_SECONDS} seconden.")
        time.sleep(0.2)
    scheduler = [*_flask(), "scheduler", "run"]
    if subprocess.run([*scheduler, "--help"], capture_output=True, check=False, env=env).returncode == 0:  # noqa: S603
        children.append(subprocess.Popen(scheduler, env=env))  # noqa: S603
        time.sleep(1)
        if children[-1].poll() is not None:
            _stop(children)
            raise StartError(f"De planner stopte meteen (status {children[-1].returncode}).")
    return children


def banner(port: int, level: str, *, mail_server: str, mfa_required: bool) -> list[str]:
    """What a developer needs to know once everything runs; the logins last."""
    base = f"http://{HOST}:{port}"
    lines = ["", f"Thuiszitters draait op {base}/ met de planner ernaast. Ctrl-C stopt alles.",
             f"Log: alleen waarschuwingen en fouten (LOG_LEVEL={level}); LOG_LEVEL=info make run toont elk verzoek."
             if level in ("warning", "error") else f"Log: LOG_LEVEL={level}."]
    if mail_server:
        lines.append(f"Mail: gaat via de SMTP-server {mail_server}.")
    else:
        lines.append("Mail: er is geen SMTP-server ingesteld (THUISZITTERS_MAIL_SERVER), dus mail wordt niet "
                     f"verstuurd maar blijft in de wachtrij. Lees hem als beheerder op {base}/beheer/mail.")
    lines.append("Tweestapsverificatie: " + ("verplicht." if mfa_required else
                 "staat uit in de ontwikkelomgeving (in productie is ze verplicht); instellen kan via het menu."))
    lines += ["", f"Demo-logins (wachtwoord: {DEMO_PASSWORD}):"]
    lines += [f"  {login.email:45} {login.role:12} {login.scope}" for login in demo_logins()]
    return lines


def checked_settings(environ: dict[str, str]) -> tuple[int, str]:
    """The port and log level, once both are valid and the port is free."""
    port = port_from(environ)
    level = log_level_from(environ)
    if not port_is_free(HOST, port):
        raise StartError(f"Poort {port} op {HOST} is al in gebruik; Thuiszitters is niet gestart. Stop wat "
                         f"daar draait, of kies een andere poort: make run PORT={port + 1}")
    return port, level


def main(argv: list[str]) -> int:
    try:
        port, level = checked_settings(dict(os.environ))
        if "--check" in argv:  # make run asks this first, before it migrates and seeds
            return 0
        env = {**os.environ, "THUISZITTERS_LOG_LEVEL": level}
        env.setdefault("THUISZITTERS_BASE_URL", f"http://{HOST}:{port}")  # links in mails point here
        config = create_app().config
        children = _start(port, env)
    except StartError as exc:
        print(f"make run: {exc}", file=sys.stderr, flush=True)
        return 1
    print("\n".join(banner(port, level, mail_server=config["MAIL_SERVER"], mfa_required=config["MFA_REQUIRED"])),
          flush=True)

    signal.signal(signal.SIGTERM, lambda *_: (_stop(children), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        _stop(children)
        return 0
    # One of them stopped by itself: that is a failure, and the other goes too.
    died = next(child for child in children if child.poll() is not None)
    _stop(children)
    print(f"make run: een proces stopte onverwacht (status {died.returncode}); alles is gestopt.", file=sys.stderr)
    return died.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
