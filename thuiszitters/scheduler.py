"""APScheduler wiring only: the long-running `flask scheduler run` process. Each job = app context + one call.

Never started by ``create_app``, the CLI or web workers: only by ``flask scheduler run`` (``make run`` starts
that beside the web server). A second scheduler started by mistake does no harm: every job takes a database
lock and the reminder keys are unique, so it only repeats work that then finds nothing to do.

The jobs are each area's: its ``jobs.py`` lists them as ``JobSpec``s (thuiszitters/ops/schedule.py says how a job
is called). To add a job, add a ``JobSpec`` to the ``JOBS`` of its area's ``jobs.py``; an area with its first job
is added to ``JOBS`` below.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import signal
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

from thuiszitters.accounts import jobs as accounts_jobs
from thuiszitters.clock import now_utc, today
from thuiszitters.exports import jobs as exports_jobs
from thuiszitters.extensions import db
from thuiszitters.mail import jobs as mail_jobs
from thuiszitters.ops import jobs as ops_jobs
from thuiszitters.ops.schedule import JobSpec
from thuiszitters.reminders import jobs as reminders_jobs
from thuiszitters.retention import jobs as retention_jobs
from thuiszitters.text import AMSTERDAM

log = logging.getLogger("thuiszitters.scheduler")

# In this order: at start the jobs run a second apart, so the sweep queues mail before the first delivery.
JOBS: list[JobSpec] = [
    *reminders_jobs.JOBS,
    *mail_jobs.JOBS,
    *ops_jobs.JOBS,
    *exports_jobs.JOBS,
    *retention_jobs.JOBS,
    *accounts_jobs.JOBS,
]


def _resolve(target: str) -> Callable[..., Any]:
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def _call(function: Callable[..., Any]) -> Any:
    """Call a job function, giving it the clock's today/now if it asks for them (the clock is read at the edge)."""
    wanted = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    if "today" in wanted:
        kwargs["today"] = today()
    if "now" in wanted:
        kwargs["now"] = now_utc()
    return function(**kwargs)


def run_job(app: Flask, spec: JobSpec) -> None:
    """One run of one job: app context, the call, commit; errors are logged by type only (no personal data)."""
    with app.app_context():
        try:
            summary = _call(_resolve(spec.target))
            db.session.commit()
            if isinstance(summary, str) and summary:
                log.info("job %s: %s", spec.id, summary)
        except Exception as exc:
            db.session.rollback()
            log.error("job %s failed: %s", spec.id, type(exc).__name__, exc_info=app.debug)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, jobs: list[JobSpec] | None = None) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=AMSTERDAM)
    start = datetime.now(AMSTERDAM)
    for index, spec in enumerate(jobs if jobs is not None else JOBS):
        options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600, **spec.options}
        scheduler.add_job(run_job, args=(app, spec), id=spec.id, replace_existing=True, **spec.trigger, **options)
        if spec.run_at_start:
            # Staggered by a second each, in list order: the sweep queues mail before the first delivery.
            scheduler.add_job(run_job, args=(app, spec), id=f"{spec.id}_at_start", trigger="date",
                              run_date=start + timedelta(seconds=index), **options)
    return scheduler


def run(app: Flask) -> None:
    """Run until SIGTERM or Ctrl-C."""
    scheduler = build_scheduler(app)

    def stop(*_args: object) -> None:
        # Ctrl-C reaches the whole process group and make run then sends SIGTERM as well: stop once.
        if scheduler.running:
            log.info("scheduler stopping")
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    log.info("scheduler started with jobs: %s", ", ".join(spec.id for spec in JOBS))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


scheduler_cli = AppGroup("scheduler", help="Het planningsproces (herinneringen, mail, export, bewaartermijn).")


@scheduler_cli.command("run")
def scheduler_run():
    """The long-running scheduler: reminders daily at 07:00 (and once at start), mail every minute."""
    # Our own logs are JSON lines (thuiszitters.logs); APScheduler's chatter only when something is wrong.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    run(current_app._get_current_object())  # type: ignore[attr-defined]


COMMANDS = [scheduler_cli]
