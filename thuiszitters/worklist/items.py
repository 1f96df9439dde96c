"""What is on a werkvoorraad, and in which order: pure functions of plain items and ``today``.

Every source (sources.py) returns `Due` values; `sort_items` puts them in the one order the page and the API
show (overdue first, then soonest first), `page_of` cuts out a page, whose items become `WorkItem`s with the
pupil's name, and `group_items` cuts that page into the page's groups: te laat, vandaag, deze week (until Sunday),
later; `group_counts` counts the whole list per group.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from thuiszitters.text import format_date_nl

# The kinds of item, in the order two items due on the same day are listed (API.md's enum).
ACTION = "action"
TERM = "term"
ALERT = "alert"
STALE = "stale"
KINDS = (ACTION, TERM, ALERT, STALE)

KIND_LABELS = {
    ACTION: "Actie",
    TERM: "Termijn",
    ALERT: "Signaal",
    STALE: "Stilstand",
}

# The groups of the page, in order, with their headings.
OVERDUE = "overdue"
TODAY = "today"
THIS_WEEK = "this_week"
LATER = "later"
GROUP_LABELS = {
    OVERDUE: "Te laat",
    TODAY: "Vandaag",
    THIS_WEEK: "Deze week",
    LATER: "Later",
}

# How far ahead a user may look (the page's date chooser and the API's `until`): a year.
MAX_DAYS_AHEAD = 366
# What the page and the API show without a chosen day: today and the seven days after it.
DEFAULT_DAYS_AHEAD = 7


class Due(NamedTuple):
    """One thing to do as a source finds it, before the page shows it.

    Its fields are in the werkvoorraad's order, so a list of them sorts as a plain tuple: due date (what is overdue
    has the earliest dates, so it comes first), then on one day the kind (``KINDS``' order), the case's reference,
    the title and the case. The pupil's name is not here: a busy swv has over a thousand of these, and only the
    fifty a page shows need one (`WorkItem`).
    """

    due_on: date
    rank: int
    reference: str
    title: str
    case_id: int
    link: str

    @property
    def kind(self) -> str:
        return KINDS[self.rank]


RANK = {kind: rank for rank, kind in enumerate(KINDS)}


class WorkItem(NamedTuple):
    """One thing to do on one case, as the page and the API show it. ``title`` is an action's description, or a
    Dutch sentence for the others; ``link`` is the page where it is done."""

    case_id: int
    reference: str
    pupil_name: str
    kind: str
    title: str
    due_on: date
    overdue: bool
    link: str


def work_item(due: Due, pupil_name: str, today: date) -> WorkItem:
    return WorkItem(due.case_id, due.reference, pupil_name, due.kind, due.title, due.due_on,
                    is_overdue(due.due_on, today), due.link)


def is_overdue(due_on: date, today: date) -> bool:
    """An item is overdue the day after its due date: on the day itself it can still be done in time."""
    return due_on < today


def default_until(today: date) -> date:
    return today + timedelta(days=DEFAULT_DAYS_AHEAD)


def latest_until(today: date) -> date:
    return today + timedelta(days=MAX_DAYS_AHEAD)


def end_of_week(today: date) -> date:
    """The Sunday of today's week (Dutch weeks run Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def group_of(due_on: date, today: date) -> str:
    """The page's group of something due on ``due_on``."""
    if is_overdue(due_on, today):
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= end_of_week(today):
        return THIS_WEEK
    return LATER


def sort_items(found: Iterable[Due]) -> list[Due]:
    """Overdue first, then soonest first; on one day actions, terms, alerts, stale cases; then by case."""
    return sorted(found)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    items: tuple[WorkItem, ...]


def group_items(items: Iterable[WorkItem], today: date) -> list[Group]:
    """The items (in the werkvoorraad's order) in the page's groups, in order; a group without items is left out."""
    found: dict[str, list[WorkItem]] = {key: [] for key in GROUP_LABELS}
    for item in items:
        found[group_of(item.due_on, today)].append(item)
    return [Group(key, GROUP_LABELS[key], tuple(members)) for key, members in found.items() if members]


def group_counts(found: Iterable[Due], today: date) -> dict[str, int]:
    """How many items each group holds in the whole list (a page shows a part of it)."""
    counts = dict.fromkeys(GROUP_LABELS, 0)
    for due_on, count in Counter(due.due_on for due in found).items():
        counts[group_of(due_on, today)] += count
    return counts


# Items on one page of the werkvoorraad: a busy swv's coordinator has hundreds, which nobody reads on one screen
# (and which made the page slow to draw and to log). The API pages by its own pageSize.
PER_PAGE = 50


@dataclass(frozen=True)
class ItemsPage:
    """One page of the sorted items (``page`` from 1; a page beyond the last is the last)."""

    items: tuple[Due, ...]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_of(items: list[Due], page: int, per_page: int = PER_PAGE) -> ItemsPage:
    """The ``page``-th run of ``per_page`` sorted items."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return ItemsPage(tuple(items[start:start + per_page]), page, pages, len(items))


def until_problem(until: date, today: date) -> tuple[str, str] | None:
    """Why ``until`` cannot be the werkvoorraad's last day, as (code, Dutch reason); None when it can.

    Today at the earliest (overdue work shows anyway), and at most ``MAX_DAYS_AHEAD`` days ahead: further than a
    year nothing the chain counts is known yet, and the list would only grow.
    """
    if until < today:
        return "before_today", f"Kies vandaag ({format_date_nl(today)}) of een latere datum."
    latest = latest_until(today)
    if until > latest:
        return "too_far_ahead", (f"Kies een datum tot en met {format_date_nl(latest)}: "
                                 f"de werkvoorraad kijkt ten hoogste een jaar vooruit.")
    return None
