"""The form fields and labels of the case pages, without an app."""
from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from thuiszitters.cases.forms import ChoiceField, DateRequired, DutchDateField
from thuiszitters.cases.labels import action_label, display_value
from thuiszitters.cases.presenters import change_phrase, describe_changes, event_text


class _DateForm(Form):
    day = DutchDateField("Dag")
    required_day = DutchDateField("Verplicht", validators=[DateRequired("Vul een dag in.")])
    choice = ChoiceField("Keuze", choices=[("", "Geen"), ("a", "A")])


@pytest.mark.parametrize(("typed", "expected"), [
    ("15-09-2026", date(2026, 9, 15)), ("1-2-2026", date(2026, 2, 1)), ("2026-02-28", date(2026, 2, 28)),
    ("29/02/2028", date(2028, 2, 29)), ("", None), ("  ", None),
])
def test_dates_are_read_in_the_ways_dutch_users_type_them(typed, expected):
    form = _DateForm(MultiDict({"day": typed, "required_day": "01-01-2026"}))
    assert form.validate()
    assert form.day.data == expected


@pytest.mark.parametrize("typed", ["31-02-2026", "29-02-2027", "32-01-2026", "morgen", "2026-13-01"])
def test_an_impossible_date_gives_one_dutch_message_and_is_shown_back_as_typed(typed):
    form = _DateForm(MultiDict({"day": "", "required_day": typed}))
    assert not form.validate()
    assert len(form.required_day.errors) == 1
    assert form.required_day.errors[0].startswith("Deze datum bestaat niet")
    assert f'value="{typed}"' in form.required_day()


def test_a_missing_required_date_asks_for_it_and_a_stored_date_is_shown_as_dd_mm_yyyy():
    form = _DateForm(MultiDict({"day": ""}))
    assert not form.validate()
    assert form.required_day.errors == ["Vul een dag in."]
    assert 'value="05-03-2026"' in _DateForm(data={"day": date(2026, 3, 5)}).day()


def test_a_choice_outside_the_list_is_refused_in_dutch():
    form = _DateForm(MultiDict({"required_day": "01-01-2026", "choice": "zz"}))
    assert not form.validate()
    assert form.choice.errors == ["Kies een waarde uit de lijst."]


def test_logged_changes_read_as_dutch_lines():
    lines = describe_changes({"absence_kind": ["absoluut_verzuim", "relatief_verzuim"], "bsn": ["…", "…"],
                              "received_on": [None, "2026-09-07"], "version": [1, 2], "kind": "aanmelding"})
    # In the order the forms show the fields; the version counter and the step kind are bookkeeping.
    assert [(line.label, line.old, line.new, line.masked) for line in lines] == [
        ("BSN", "", "gewijzigd (inhoud niet getoond)", True),
        ("Soort verzuim", "Absoluut verzuim", "Langdurig relatief verzuim", False),
        ("Datum ontvangst aanmelding", "—", "07-09-2026", False),
    ]
    # Personal data and free text stay hidden even where an old event kept the values.
    assert [(line.label, line.new, line.masked) for line in describe_changes({"last_name": ["Jansen", "Bakker"]})] \
        == [("Achternaam", "gewijzigd (inhoud niet getoond)", True)]
    assert change_phrase(lines[1]) == "Soort verzuim: Absoluut verzuim → Langdurig relatief verzuim"
    assert change_phrase(lines[2]) == "Datum ontvangst aanmelding: 07-09-2026"
    assert event_text("case.update", {"bsn": ["…", "…"], "version": [1, 2]}, "Verhuisd") == \
        "Casusgegevens gewijzigd (BSN)\nReden: Verhuisd"
    assert action_label("step.create", {"kind": "consulent"}) == "Stap vastgelegd: Onderwijs(zorg)consulent"
    assert display_value("parental_consent", True) == "ja"
