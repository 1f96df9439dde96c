"""The casework's pure rules: a participant's and a journal entry's checks (every problem at once), the first day
an entry may carry, who is already in the network, and phone numbers (identifiers.normalize_phone)."""
from datetime import date

import pytest

from thuiszitters.casework import rules
from thuiszitters.identifiers import InvalidIdentifier, display_phone, normalize_phone

TODAY = date(2026, 11, 2)


def _participant(**values):
    return rules.check_participant({"role": "ouder", "name": "Fatima el Amrani", **values})


def test_a_participant_is_stored_clean():
    cleaned, problems = _participant(name="  Fatima\u202e el Amrani ", email="F.ElAmrani@Example.NL ",
                                     phone="06-1234 5678", organisation="  ", consent_to_share=False)
    assert problems == []
    assert cleaned["name"] == "Fatima el Amrani" and cleaned["organisation"] is None
    assert cleaned["phone"] == "+31612345678" and cleaned["consent_to_share"] is False
    assert cleaned["email"].endswith("example.nl")


def test_every_problem_of_a_participant_is_named_at_once():
    _, problems = rules.check_participant({"role": "buurman", "name": "", "email": "geen", "phone": "abc",
                                           "consent_to_share": "ja", "note": "x" * 1001,
                                           "organisation": "o" * 201})
    assert {p.name for p in problems} == {"role", "name", "email", "phone", "consent_to_share", "note",
                                          "organisation"}


@pytest.mark.parametrize(("typed", "stored", "shown"), [
    ("0201234567", "+31201234567", "020 123 4567"),
    ("+31 6 12345678", "+31612345678", "06 12345678"),
    ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
])
def test_phone_numbers_are_stored_in_e164_and_shown_as_dialled(typed, stored, shown):
    assert normalize_phone(typed) == stored
    assert display_phone(stored) == shown


@pytest.mark.parametrize(("typed", "code"), [
    ("06 1234", "phone.unknown_number"), ("bel me", "phone.invalid"), ("020 123 4567 toestel 12", "phone.invalid"),
    ("0" * 41, "phone.invalid"), ("٠٦١٢٣٤٥٦٧٨", "phone.invalid"),
])
def test_impossible_phone_numbers_are_refused(typed, code):
    with pytest.raises(InvalidIdentifier) as refused:
        normalize_phone(typed)
    assert refused.value.code == code


def _entry(today=TODAY, allowed=(1, 2), **values):
    base = {"occurred_on": date(2026, 10, 1), "kind": "gesprek", "participant_ids": [1], "summary": "Gesprek."}
    return rules.check_journal_entry(base | values, today=today, earliest=date(2026, 9, 1),
                                     allowed_participants=set(allowed))


def test_a_journal_entry_today_naming_the_network_is_accepted():
    cleaned, problems = _entry(occurred_on=TODAY, participant_ids=[2, 1, 2], summary="  Gesprek.  ")
    assert problems == [] and cleaned["participant_ids"] == [2, 1] and cleaned["summary"] == "Gesprek."


@pytest.mark.parametrize(("values", "field", "code"), [
    ({"occurred_on": date(2026, 11, 3)}, "occurred_on", "future_date"),
    ({"occurred_on": date(2026, 8, 31)}, "occurred_on", "before_case"),
    ({"occurred_on": None}, "occurred_on", "required"),
    ({"kind": "brief"}, "kind", "unknown_value"),
    ({"participant_ids": [3]}, "participant_ids", "unknown_participant"),
    ({"participant_ids": [True]}, "participant_ids", "unknown_participant"),
    ({"summary": " \n "}, "summary", "required"),
    ({"summary": "x" * 5001}, "summary", "too_long"),
])
def test_a_bad_journal_entry_is_refused_beside_its_field(values, field, code):
    _, problems = _entry(**values)
    assert [(p.name, p.code) for p in problems] == [(field, code)]


def test_all_problems_of_an_entry_come_together():
    _, problems = _entry(occurred_on=date(2027, 1, 1), kind="", participant_ids=[9], summary="")
    assert [p.name for p in problems] == ["occurred_on", "kind", "participant_ids", "summary"]


def test_an_entry_may_be_dated_from_the_day_the_case_began():
    assert rules.earliest_entry_date(date(2026, 9, 1), date(2026, 9, 10)) == date(2026, 9, 1)
    assert rules.earliest_entry_date(date(2026, 9, 10), date(2026, 9, 1)) == date(2026, 9, 1)
    assert rules.earliest_entry_date(None, date(2026, 9, 1)) == date(2026, 9, 1)


def test_someone_already_in_the_network_is_not_suggested_again():
    network = [rules.Person("leerplicht", "Lp1", "lp1@example.nl"), rules.Person("school", "De Regenboog")]
    assert rules.already_in_network(rules.Person("leerplicht", "L. Pieters", "LP1@example.nl"), network)
    assert rules.already_in_network(rules.Person("school", "de regenboog"), network)
    assert not rules.already_in_network(rules.Person("ouder", "De Regenboog"), network)
    assert not rules.already_in_network(rules.Person("leerplicht", "Lp2", "lp2@example.nl"), network)


def test_every_field_has_a_label_and_every_vocabulary_its_dutch_names():
    assert set(rules.PARTICIPANT_FIELDS) | set(rules.JOURNAL_FIELDS) == set(rules.FIELD_LABELS)
    assert rules.NOTE_KIND in rules.JOURNAL_KINDS
    assert set(rules.CONTACT_FIELDS) <= set(rules.PARTICIPANT_PERSONAL_FIELDS)
