"""The werkvoorraad's order and groups, and which chain terms are still work: pure, with an injected today."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from thuiszitters.worklist import items as wl
from thuiszitters.worklist.rules import open_terms

TODAY = date(2026, 11, 4)  # a Wednesday: "deze week" runs to Sunday 8 November


def due(due_on: date, kind: str = wl.TERM, reference: str = "TZ-1", title: str = "Iets", case_id: int = 1) -> wl.Due:
    return wl.Due(due_on=due_on, rank=wl.RANK[kind], reference=reference, title=title, case_id=case_id,
                  link=f"/casussen/{case_id}")


def item(due_on: date, kind: str = wl.TERM, reference: str = "TZ-1", title: str = "Iets", case_id: int = 1,
         today: date = TODAY) -> wl.WorkItem:
    return wl.work_item(due(due_on, kind, reference, title, case_id), "Noah de Vries", today)


def test_an_item_is_overdue_only_after_its_due_day():
    assert wl.is_overdue(date(2026, 11, 3), TODAY)
    assert not wl.is_overdue(TODAY, TODAY)
    assert not wl.is_overdue(date(2026, 11, 5), TODAY)


def test_overdue_first_then_soonest_first():
    later, soon, today_, long_overdue, just_overdue = (
        due(date(2026, 11, 20), reference="TZ-A"), due(date(2026, 11, 6), reference="TZ-B"),
        due(TODAY, reference="TZ-C"), due(date(2026, 9, 1), reference="TZ-D"),
        due(date(2026, 11, 3), reference="TZ-E"))
    ordered = wl.sort_items([later, soon, today_, long_overdue, just_overdue])
    assert [i.reference for i in ordered] == ["TZ-D", "TZ-E", "TZ-C", "TZ-B", "TZ-A"]


def test_on_one_day_actions_then_terms_then_alerts_then_stale_then_by_case():
    day = date(2026, 11, 6)
    found = [due(day, wl.STALE, "TZ-1"), due(day, wl.ALERT, "TZ-1"), due(day, wl.TERM, "TZ-2"),
             due(day, wl.TERM, "TZ-1"), due(day, wl.ACTION, "TZ-9")]
    assert [(i.kind, i.reference) for i in wl.sort_items(found)] == [
        ("action", "TZ-9"), ("term", "TZ-1"), ("term", "TZ-2"), ("alert", "TZ-1"), ("stale", "TZ-1")]


def test_groups_overdue_today_this_week_later_in_that_order():
    # A page's items, in the werkvoorraad's order (sort_items), become the page's groups in that order.
    found = [wl.work_item(d, "Noah de Vries", TODAY) for d in wl.sort_items(
        [due(date(2026, 11, 9)), due(date(2026, 11, 8)), due(TODAY), due(date(2026, 10, 1)), due(date(2026, 11, 5))])]
    groups = wl.group_items(found, TODAY)
    assert [(g.key, g.label, [i.due_on.day for i in g.items]) for g in groups] == [
        ("overdue", "Te laat", [1]),
        ("today", "Vandaag", [4]),
        ("this_week", "Deze week", [5, 8]),  # up to and including Sunday
        ("later", "Later", [9]),  # Monday of next week
    ]


def test_empty_groups_are_left_out():
    assert [g.key for g in wl.group_items([item(date(2026, 12, 1))], TODAY)] == ["later"]
    assert wl.group_items([], TODAY) == []


def test_on_a_sunday_this_week_is_only_today():
    sunday = date(2026, 11, 8)
    groups = wl.group_items([item(sunday, today=sunday), item(date(2026, 11, 9), today=sunday)], sunday)
    assert [g.key for g in groups] == ["today", "later"]


def test_the_default_day_is_a_week_ahead():
    assert wl.default_until(TODAY) == date(2026, 11, 11)


@pytest.mark.parametrize(("until", "code"), [
    (TODAY, None),
    (date(2027, 11, 5), None),  # 366 days ahead
    (date(2027, 11, 6), "too_far_ahead"),
    (date(2026, 11, 3), "before_today"),
])
def test_until_must_be_today_up_to_a_year_ahead(until, code):
    problem = wl.until_problem(until, TODAY)
    assert (problem[0] if problem else None) == code
    if problem:
        assert "Kies" in problem[1]  # a Dutch sentence saying what to choose


def aanmelding(**values):
    base = dict(kind="aanmelding", received_on=date(2026, 9, 1), extended_on=None, extension_weeks=None,
                decision=None, decided_on=None)
    return SimpleNamespace(**{**base, **values})


def gpo(**values):
    base = dict(kind="geschillencommissie", school_decision_on=date(2026, 8, 1), filed_on=date(2026, 9, 1),
                verdict=None, verdict_on=None, follow_up=None)
    return SimpleNamespace(**{**base, **values})


def test_an_undecided_aanmelding_has_its_decision_term_from_escalation_terms():
    [(term, due_on)] = open_terms(aanmelding(), until=date(2026, 12, 31))
    assert term.term == "decision_due_on" and due_on == date(2026, 10, 13)  # 6 weeks after receipt
    extended = open_terms(aanmelding(extended_on=date(2026, 10, 1), extension_weeks=3), until=date(2026, 12, 31))
    assert extended[0][1] == date(2026, 11, 3)  # plus the extension
    assert open_terms(aanmelding(), until=date(2026, 10, 12)) == []  # not yet due by then
    assert open_terms(aanmelding(decision="toegelaten", decided_on=date(2026, 10, 1)), until=date(2027, 1, 1)) == []


def test_gpo_terms_open_until_what_meets_them_is_recorded():
    until = date(2027, 6, 1)
    assert [(t.term, d) for t, d in open_terms(gpo(), until)] == [("verdict_due_on", date(2026, 11, 10))]
    assert [(t.term, d) for t, d in open_terms(gpo(filed_on=None), until)] == [
        ("filing_due_on", date(2026, 9, 12))]
    answered = gpo(verdict="gegrond", verdict_on=date(2026, 11, 1))
    assert [(t.term, d) for t, d in open_terms(answered, until)] == [("follow_up_due_on", date(2026, 12, 6))]
    assert open_terms(gpo(verdict="gegrond", verdict_on=date(2026, 11, 1), follow_up="opgevolgd"), until) == []
    assert open_terms(gpo(verdict="ingetrokken", verdict_on=date(2026, 11, 1)), until) == []  # nothing to follow


def test_other_steps_have_no_terms_on_the_worklist():
    assert open_terms(SimpleNamespace(kind="consulent", requested_on=date(2026, 9, 1)), date(2027, 1, 1)) == []


def test_a_page_holds_a_run_of_the_sorted_items_and_counts_stay_whole():
    found = wl.sort_items(due(date(2026, 10, day), reference=f"TZ-{day:02d}") for day in range(1, 8))
    first, last = wl.page_of(found, 1, per_page=3), wl.page_of(found, 3, per_page=3)
    assert [i.reference for i in first.items] == ["TZ-01", "TZ-02", "TZ-03"]
    assert (first.pages, first.total, first.has_prev, first.has_next) == (3, 7, False, True)
    assert [i.reference for i in last.items] == ["TZ-07"] and last.has_prev and not last.has_next
    assert wl.page_of(found, 99, per_page=3).page == 3  # beyond the last page: the last
    assert wl.page_of([], 1).pages == 1
    assert wl.group_counts([*found, due(TODAY), due(date(2026, 11, 8)), due(date(2026, 11, 9))], TODAY) == {
        "overdue": 7, "today": 1, "this_week": 1, "later": 1}


def test_a_page_item_carries_what_the_page_shows():
    shown = wl.work_item(due(date(2026, 11, 3), wl.ALERT, "TZ-7", "Geen besluit", 7), "Noah de Vries", TODAY)
    assert shown == wl.WorkItem(case_id=7, reference="TZ-7", pupil_name="Noah de Vries", kind="alert",
                                title="Geen besluit", due_on=date(2026, 11, 3), overdue=True, link="/casussen/7")
    assert not wl.work_item(due(TODAY), "Noah de Vries", TODAY).overdue
