"""The only code that reads the real date and time.

Everything else asks this module for `today()` (a local date in Europe/Amsterdam) and `now_utc()`.
The setting FIXED_TODAY pins the date for demos, training and tests; tests can also swap the clock.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_app_context

from thuiszitters.parsing import ParseError, parse_date
from thuiszitters.text import AMSTERDAM


@dataclass
class Clock:
    """Real time, or a pinned day. A pinned clock keeps the real time of day so timestamps still order."""

    fixed_today: date | None = None
    # A moment that stands still (see frozen_at): wins over fixed_today while it is set.
    fixed_moment: datetime | None = None

    def now_utc(self) -> datetime:
        if self.fixed_moment is not None:
            return self.fixed_moment.astimezone(UTC)
        real = datetime.now(UTC)
        if self.fixed_today is None:
            return real
        local_time = real.astimezone(AMSTERDAM).timetz().replace(tzinfo=None)
        pinned = datetime.combine(self.fixed_today, local_time, tzinfo=AMSTERDAM)
        return pinned.astimezone(UTC)

    def today(self) -> date:
        if self.fixed_moment is not None:
            return self.fixed_moment.astimezone(AMSTERDAM).date()
        if self.fixed_today is not None:
            return self.fixed_today
        return datetime.now(UTC).astimezone(AMSTERDAM).date()

    def set_today(self, value: date | None) -> None:
        self.fixed_today = value

    def advance(self, days: int = 1) -> date:
        """Move a pinned clock forward (tests that live a case day by day)."""
        self.fixed_today = self.today() + timedelta(days=days)
        return self.fixed_today


_default_clock = Clock()


def parse_fixed_today(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ParseError as exc:
        raise RuntimeError(f"FIXED_TODAY must be YYYY-MM-DD (1900 or later), got {value!r}") from exc


def get_clock() -> Clock:
    if has_app_context():
        return current_app.extensions.get("clock", _default_clock)
    return _default_clock


def today() -> date:
    """Today's local date in Europe/Amsterdam (or the pinned date)."""
    return get_clock().today()


def now_utc() -> datetime:
    """The current moment as an aware UTC datetime."""
    return get_clock().now_utc()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Run a block as if it were ``moment`` (an aware datetime), then let the clock run again.

    For writing history at the time it happened: the demo data's cases, steps and closures get the timestamps,
    and their audit events the ``occurred_at``, of the day they took place, all through the normal services and
    the normal (hash-chained) audit record. Not for requests: only a CLI command in its own process uses it.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment!r}")
    clock = get_clock()
    previous, clock.fixed_moment = clock.fixed_moment, moment
    try:
        yield
    finally:
        clock.fixed_moment = previous


def real_now_utc() -> datetime:
    """The real moment, even when the day is pinned.

    For what must follow the wall clock whatever the app's "today" is: session timeouts, login throttling and
    TOTP codes (the user's phone does not know about a pinned day).
    """
    return datetime.now(UTC)


def local_midnight_utc(day: date) -> datetime:
    """The UTC moment at which a local Amsterdam day starts."""
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)
