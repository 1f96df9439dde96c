"""What a search query asks for (cases/search.py) and how names are folded for it (identifiers.search_key)."""
from __future__ import annotations

import pytest

from thuiszitters.cases.search import MAX_LENGTH, SearchTerms, read_query
from thuiszitters.errors import InvalidParam
from thuiszitters.identifiers import search_key


@pytest.mark.parametrize(("name", "key"), [
    ("Öztürk", "ozturk"),
    ("Zoë", "zoe"),
    ("ÇELİK", "celik"),
    ("Łukasz Brzęczyszczykiewicz", "lukasz brzeczyszczykiewicz"),
    ("Søren Ærø", "soren aero"),
    ("Yılmaz", "yilmaz"),
    ("d\u2019Hondt", "d'hondt"),
    ("  Anne-Fleur   van  der  Berg ", "anne-fleur van der berg"),
    ("Ze\u200bynep", "zeynep"),  # an invisible character does not hide a name from search
])
def test_names_fold_to_lower_case_without_accents(name, key):
    assert search_key(name) == key


def test_a_name_typed_without_accents_finds_the_folded_name():
    assert search_key("ozt") in search_key("Mehmet Öztürk")


@pytest.mark.parametrize(("query", "expected"), [
    ("111222333", SearchTerms(bsn="111222333")),
    (" 1112 22 333 ", SearchTerms(bsn="111222333")),
    ("111.222.333", SearchTerms(bsn="111222333")),
    ("tz-2026-ab", SearchTerms(words=("tz-2026-ab",))),
    ("TZ-2026-AB12C", SearchTerms(words=("tz-2026-ab12c",))),
    ("Öztürk", SearchTerms(words=("ozturk",))),
    ("sem  BAKK", SearchTerms(words=("sem", "bakk"))),
    ("jan jan", SearchTerms(words=("jan",))),
    ("12345", SearchTerms(words=("12345",))),  # fewer than nine digits: part of a reference
])
def test_queries_read_as_a_bsn_or_as_name_words_and_a_reference(query, expected):
    assert read_query(query) == expected


@pytest.mark.parametrize(("query", "code"), [
    ("", "required"),
    ("   ", "required"),
    (None, "required"),
    ("a", "too_short"),
    ("x" * (MAX_LENGTH + 1), "too_long"),
    ("a b c d e f", "too_many_words"),
    ("123456789", "bsn.invalid_checksum"),  # nine digits are a BSN: one that fails the elfproef is a typo
])
def test_queries_that_cannot_be_searched_are_refused_on_q_in_dutch(query, code):
    problem = read_query(query)
    assert isinstance(problem, InvalidParam)
    assert problem.name == "q"
    assert problem.code == code
    assert problem.reason and problem.reason[0].isupper()


def test_the_kind_of_query_is_logged_never_the_query():
    assert SearchTerms(bsn="111222333").kind == "bsn"
    assert SearchTerms(words=("sem",)).kind == "naam_of_casusnummer"
