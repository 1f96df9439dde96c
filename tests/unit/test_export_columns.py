"""The export's columns are defined once; the CSV keys stay stable and the data dictionary agrees with the code."""
from __future__ import annotations

from pathlib import Path

from thuiszitters.escalation import spec
from thuiszitters.exports import columns

DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"

# The keys published before issue 16/17: a CSV reader may rely on them, so they stay, in this order, up front.
PUBLISHED_CASE_KEYS = (
    "pseudonym", "swv_code", "gemeente_code", "school_type", "absence_kind", "birth_year", "out_of_school_since",
    "return_deadline", "status", "aanmelding_on", "swv_inzet_on", "consulent_on", "geschillencommissie_on",
    "interventieteam_on", "outcome", "offer_started_on", "days_out_of_school", "goal_met", "overdue",
)
PUBLISHED_SUMMARY_KEYS = (
    "swv_code", "open_at_start", "new", "closed", "open_at_end", "closed_within_3_months", "overdue_at_end",
    "lt_4_weeks", "4w_to_3m", "3m_to_6m", "gt_6m", "aanmelding_reached", "swv_inzet_reached", "consulent_reached",
    "geschillencommissie_reached", "interventieteam_reached",
)


def test_the_published_csv_keys_are_kept_in_their_place():
    assert columns.CASE_COLUMNS[:len(PUBLISHED_CASE_KEYS)] == PUBLISHED_CASE_KEYS
    assert columns.SUMMARY_COLUMNS[:len(PUBLISHED_SUMMARY_KEYS)] == PUBLISHED_SUMMARY_KEYS


def test_keys_and_headers_are_unique_and_every_column_is_described():
    for defs in (columns.CASE_COLUMN_DEFS, columns.SUMMARY_COLUMN_DEFS):
        keys = [c.key for c in defs]
        headers = [c.header for c in defs]
        assert len(set(keys)) == len(keys)
        assert len(set(headers)) == len(headers)  # a person can tell every xlsx column apart
        assert all(c.description and c.type in columns.TYPES for c in defs)


def test_every_count_is_split_by_absence_kind_and_closed_by_every_outcome_of_a_case():
    keys = set(columns.SUMMARY_COLUMNS)
    for count in columns.COUNT_KEYS:
        assert {f"{count}_{kind}" for kind in spec.ABSENCE_KINDS} <= keys
    assert {f"closed_{code}" for code in spec.CASE_OUTCOMES} <= keys
    assert "closed_geen_thuiszitter" not in keys  # a signal is never a thuiszitter
    assert {"open_at_end_absoluut_verzuim", "closed_vrijstelling", "signals_open_at_end", "within_3m",
            "3m_to_6m", "gt_6m", "gt_3m_continuous", "gpo_not_followed"} <= keys


def test_the_data_dictionary_in_the_docs_is_the_one_the_code_writes():
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- COLUMNS:START -->\n", "<!-- COLUMNS:END -->"
    assert start in text and end in text
    documented = text[text.index(start) + len(start):text.index(end)]
    assert documented == columns.data_dictionary(), (
        "docs/export.md is out of date: replace the part between the COLUMNS markers with the output of "
        "`python -m thuiszitters.exports.columns`")
    for key in (*columns.CASE_COLUMNS, *columns.COUNT_KEYS, "signals_open_at_end"):
        assert f"`{key}`" in documented


def test_csv_text_of_each_type():
    from datetime import date

    assert columns.csv_text(columns.DATE)(date(2026, 8, 1)) == "2026-08-01"
    assert columns.csv_text(columns.DATE)(None) == ""
    assert [columns.csv_text(columns.BOOLEAN)(v) for v in (True, False, None)] == ["ja", "nee", ""]
    assert columns.csv_text(columns.INTEGER)(0) == "0" and columns.csv_text(columns.INTEGER)(None) == ""
    assert columns.csv_text(columns.TEXT)("=1") == "=1"  # escaping is the CSV writer's job
