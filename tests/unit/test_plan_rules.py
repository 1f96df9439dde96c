"""The plan's and the meetings' rules (casework/plan_rules.py), without an app: owners, dates, statuses, agreements."""
from datetime import date

import pytest

from thuiszitters.casework import plan_rules as rules

TODAY = date(2026, 10, 5)
BEGAN = date(2026, 9, 1)
USERS = {1, 2}
PARTICIPANTS = {10}


def _action(**values):
    base = {"description": "School bellen.", "owner_user_id": 1, "owner_participant_id": None,
            "due_on": date(2026, 10, 12)}
    return rules.check_action(base | values, today=TODAY, earliest=BEGAN, users=USERS, participants=PARTICIPANTS)


def _codes(problems):
    return {(p.name, p.code) for p in problems}


def test_a_good_action_is_cleaned_and_has_no_problem():
    cleaned, problems = _action(description="  School bellen.  ")
    assert problems == [] and cleaned["description"] == "School bellen."


@pytest.mark.parametrize(("values", "expected"), [
    ({"owner_user_id": None}, {("owner_user_id", "owner_required")}),
    ({"owner_participant_id": 10}, {("owner_participant_id", "two_owners")}),
    ({"owner_user_id": 3}, {("owner_user_id", "owner_cannot_see_case")}),
    ({"owner_user_id": None, "owner_participant_id": 11}, {("owner_participant_id", "unknown_participant")}),
    ({"owner_user_id": True}, {("owner_user_id", "owner_cannot_see_case")}),  # a bool is no id
    ({"due_on": date(2026, 8, 31)}, {("due_on", "before_case")}),
    ({"due_on": date(2030, 1, 1)}, {("due_on", "too_far_ahead")}),
    ({"due_on": None}, {("due_on", "required")}),
    ({"description": " "}, {("description", "required")}),
    ({"description": "x" * 1001}, {("description", "too_long")}),
])
def test_each_wrong_field_is_named(values, expected):
    assert _codes(_action(**values)[1]) == expected


def test_every_wrong_field_comes_at_once():
    _, problems = _action(description="", owner_user_id=None, due_on=date(2020, 1, 1))
    assert {p.name for p in problems} == {"description", "owner_user_id", "due_on"}


def test_an_action_due_in_the_past_but_within_the_case_is_allowed():
    """Recording what was agreed earlier: due before today is allowed (it is overdue at once)."""
    assert _action(due_on=date(2026, 9, 20))[1] == []
    assert rules.is_overdue("open", date(2026, 9, 20), TODAY)


@pytest.mark.parametrize(("status", "due_on", "overdue", "due_today"), [
    ("open", date(2026, 10, 4), True, False),
    ("open", TODAY, False, True),
    ("open", date(2026, 10, 6), False, False),
    ("gedaan", date(2026, 10, 4), False, False),
    ("vervallen", TODAY, False, False),
])
def test_overdue_and_due_today(status, due_on, overdue, due_today):
    assert rules.is_overdue(status, due_on, TODAY) is overdue
    assert rules.is_due_today(status, due_on, TODAY) is due_today


def _update(**values):
    base = {"description": "Bellen", "owner_user_id": 1, "owner_participant_id": None, "status": "open",
            "done_on": None, "due_on": date(2026, 10, 12)}
    return rules.check_action_update(base | values, today=TODAY, earliest=BEGAN, users=USERS,
                                     participants=PARTICIPANTS)


def test_done_without_a_date_is_done_today():
    assert _update(status="gedaan") == ({"description": "Bellen", "owner_user_id": 1, "owner_participant_id": None,
                                         "status": "gedaan", "done_on": TODAY, "due_on": date(2026, 10, 12)}, [])


@pytest.mark.parametrize(("values", "expected"), [
    ({"status": "gedaan", "done_on": date(2026, 10, 6)}, {("done_on", "future_date")}),
    ({"status": "gedaan", "done_on": date(2026, 8, 1)}, {("done_on", "before_case")}),
    ({"status": "open", "done_on": TODAY}, {("done_on", "not_done")}),
    ({"status": "klaar"}, {("status", "unknown_value")}),
    ({"status": None}, {("status", "required")}),
    # A change checks the description and the owner as a new action does.
    ({"description": " "}, {("description", "required")}),
    ({"owner_user_id": 3}, {("owner_user_id", "owner_cannot_see_case")}),
    ({"owner_user_id": None, "owner_participant_id": 10}, set()),
    ({"owner_participant_id": 10}, {("owner_participant_id", "two_owners")}),
])
def test_status_and_done_date_go_together(values, expected):
    assert _codes(_update(**values)[1]) == expected


def _meeting(agreements=(), **values):
    base = {"held_on": TODAY, "kind": "mdo", "participant_ids": [10], "summary": "Besproken."}
    return rules.check_meeting(base | values, list(agreements), today=TODAY, earliest=BEGAN, users=USERS,
                               participants=PARTICIPANTS)


def test_a_meeting_with_agreements_skips_the_empty_rows():
    empty = {"description": None, "owner_user_id": None, "owner_participant_id": None, "due_on": None}
    agreement = {"description": "Bellen", "owner_user_id": 2, "owner_participant_id": None,
                 "due_on": date(2026, 10, 9)}
    meeting, agreements, problems = _meeting([empty, agreement, empty])
    assert problems == [] and len(agreements) == 1 and meeting["participant_ids"] == [10]


def test_a_meeting_names_its_own_and_each_agreements_problems_by_row():
    agreements = [
        {"description": "Zonder eigenaar", "due_on": date(2026, 10, 9)},
        {"description": "Goed", "owner_user_id": 1, "due_on": date(2026, 10, 9)},
        {"description": "", "owner_user_id": 1, "owner_participant_id": 10, "due_on": date(2026, 8, 1)},
    ]
    _, _, problems = _meeting(agreements, held_on=date(2026, 10, 6), kind="borrel", participant_ids=[99],
                              summary="")
    assert _codes(problems) == {
        ("held_on", "future_date"), ("kind", "unknown_value"), ("participant_ids", "unknown_participant"),
        ("summary", "required"), ("agreements.0.owner_user_id", "owner_required"),
        ("agreements.2.description", "required"), ("agreements.2.owner_participant_id", "two_owners"),
        ("agreements.2.due_on", "before_case")}


def test_a_meeting_before_the_case_began_is_refused():
    assert _codes(_meeting(held_on=date(2026, 8, 31))[2]) == {("held_on", "before_case")}
