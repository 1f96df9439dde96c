"""When a scheduled job runs: each area's `jobs.py` lists its jobs as `JobSpec`s; `thuiszitters.scheduler` runs them.

The target is a ``module:function`` path, called inside an app context; a parameter named ``today`` receives
``clock.today()``, a parameter named ``now`` receives ``clock.now_utc()``. The scheduler commits after it returns (or
rolls back if it raises) and logs a returned string.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class JobSpec:
    id: str
    target: str  # "module:function", called inside an app context
    trigger: dict[str, Any]  # APScheduler trigger arguments, e.g. {"trigger": "cron", "hour": 7}
    run_at_start: bool = False  # also once right after start (catch-up after downtime)
    options: dict[str, Any] = field(default_factory=dict)
