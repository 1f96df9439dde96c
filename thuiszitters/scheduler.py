"""APScheduler wiring only: the long-running `flask scheduler run` process. Each job = app context + one call.

Never started by ``create_app``, the CLI or web workers: only by ``flask scheduler run`` (``make run`` starts
that beside the web server). A second scheduler started by mistake does no harm: every job takes a database
lock and the reminder keys are unique, so it only repeats work that then finds nothing to do.

To add a job, append one ``JobSpec`` to ``JOBS`` (see the export and retention lines below). The
target is a ``module:function`` path; a parameter named ``today`` receives ``clock.today()``, a parameter named
``now`` receives ``clock.now_utc()``. It runs inside an app context and the wrapper commits after it returns (or
rolls back if it raises); a returned string is logged.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from thuiszitters.clock import AMSTERDAM

log = logging.getLogger("thuiszitters.scheduler")


@dataclass(frozen=True)
class JobSpec:
    id: str
    target: str  # "module:function", called without arguments inside an app context
    trigger: dict[str, Any]  # APScheduler trigger arguments, e.g. {"trigger": "cron", "hour": 7}
    run_at_start: bool = False  # also once right after start (catch-up after downtime)
    options: dict[str, Any] = field(default_factory=dict)


JOBS: list[JobSpec] = [
    JobSpec("reminders_sweep", "thuiszitters.reminders.jobs:sweep",
            {"trigger": "cron", "hour": 7, "minute": 0}, run_at_start=True),
    JobSpec("outbox_delivery", "thuiszitters.reminders.jobs:deliver",
            {"trigger": "interval", "minutes": 1}, run_at_start=True),
    JobSpec("heartbeat", "thuiszitters.reminders.jobs:heartbeat",
            {"trigger": "interval", "minutes": 1}, run_at_start=True),
    # Safe to repeat (a stored, intact month is left alone), so it also runs at start to catch up a missed 1st.
    JobSpec("inspectie_export", "thuiszitters.exports.services:run_monthly_export",
            {"trigger": "cron", "day": 1, "hour": 6, "minute": 0}, run_at_start=True),
    JobSpec("retention", "thuiszitters.retention:anonymise_expired_cases", {"trigger": "cron", "hour": 3, "minute": 0}),
    # Expired sessions and old login attempts: refused anyway, deleted so the tables stay small.
    JobSpec("security_purge", "thuiszitters.accounts.housekeeping:purge_security_records",
            {"trigger": "interval", "hours": 1}, run_at_start=True),
]


def _resolve(target: str) -> Callable[..., Any]:
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def _call(function: Callable[..., Any]) -> Any:
    """Call a job function, giving it the clock's today/now if it asks for them (the clock is read at the edge)."""
    from thuiszitters.clock import now_utc, today

    wanted = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    if "today" in wanted:
        kwargs["today"] = today()
    if "now" in wanted:
        kwargs["now"] = now_utc()
    return function(**kwargs)


def run_job(app: Flask, spec: JobSpec) -> None:
    """One run of one job: app context, the call, commit; errors are logged by type only (no personal data)."""
    from thuiszitters.extensions import db

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
