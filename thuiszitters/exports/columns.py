"""The columns of the inspectie export, each defined once: stable CSV key, Dutch header, type and description.

Everything about a column derives from here: the CSV header (the stable keys), the xlsx header (the Dutch
headers) and how each xlsx cell is typed (dates as dates, numbers as numbers, yes/no as booleans), the CSV text
of a value, and the data dictionary in ``docs/export.md`` (``data_dictionary()``; a test holds the document to
it). The keys never change once published: a new column gets a new key and is added at the end of its group.

Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from thuiszitters.escalation import spec

TEXT = "text"
DATE = "date"
INTEGER = "integer"
BOOLEAN = "boolean"
TYPES = (TEXT, DATE, INTEGER, BOOLEAN)
# How a value reads in the CSV; in the xlsx each type is a real cell type.
YES = "ja"
NO = "nee"
TYPE_DESCRIPTIONS = {
    TEXT: "text",
    DATE: "date (CSV: YYYY-MM-DD; xlsx: a date cell)",
    INTEGER: "whole number",
    BOOLEAN: "yes/no (CSV: ja/nee; xlsx: TRUE/FALSE)",
}


@dataclass(frozen=True)
class Column:
    """One column of an export file. ``key`` is the CSV header and never changes; ``header`` is what a person
    reads in the xlsx; ``description`` is the data dictionary's."""

    key: str
    header: str
    type: str
    description: str

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"column {self.key}: unknown type {self.type!r}")

    @property
    def width(self) -> int:
        """The xlsx column width in characters: room for the header, or for the widest value of the type."""
        widest = {TEXT: 12, DATE: 11, INTEGER: 8, BOOLEAN: 6}[self.type]
        return min(max(len(self.header), widest) + 2, 60)


def csv_text(column_type: str) -> Callable[[object], str]:
    """The function from a value of ``column_type`` (or None) to its CSV text."""
    if column_type == DATE:
        return lambda value: value.isoformat() if isinstance(value, date) else ""
    if column_type == BOOLEAN:
        return lambda value: "" if value is None else (YES if value else NO)
    if column_type == INTEGER:
        return lambda value: "" if value is None else str(int(value))  # type: ignore[call-overload]
    return lambda value: "" if value is None else str(value)


# --- cases.csv / sheet "Casussen" --------------------------------------------------------------------------


def _case_columns() -> tuple[Column, ...]:
    step_columns = tuple(
        Column(f"{kind.name}_on", f"Stap {kind.label.lower()} bereikt op", DATE,
               f"First start date ({kind.starts_on}) of a step '{kind.name}' on or before the month end; empty "
               f"when the case had not reached that step by then.")
        for kind in spec.KINDS
    )
    return (
        Column("pseudonym", "Pseudoniem", TEXT,
               "Stable pseudonym of the case: HMAC-SHA256 of the case id under the inspectie key, truncated to 20 "
               "hex characters. The same case keeps it from month to month."),
        Column("swv_code", "Samenwerkingsverband", TEXT, "Code of the samenwerkingsverband, e.g. `PO 20-01`."),
        Column("gemeente_code", "Gemeente", TEXT, "CBS code of the pupil's gemeente, e.g. `GM0363`."),
        Column("school_type", "Soort school", TEXT,
               "Type of the school the pupil is enrolled at (po, sbo, so, vo, vso, pro, mbo); empty when enrolled "
               "nowhere or unknown."),
        Column("absence_kind", "Soort verzuim", TEXT,
               "`absoluut_verzuim`, `relatief_verzuim` or `vrijstelling_5a`."),
        Column("birth_year", "Geboortejaar", INTEGER, "The pupil's year of birth (never the full date)."),
        Column("out_of_school_since", "Eerste dag thuis", DATE, "First day out of school."),
        Column("return_deadline", "Terugkeerdatum", DATE,
               "Return goal: first day out of school + 3 calendar months."),
        Column("status", "Status aan eind maand", TEXT,
               "`open` or `gesloten` at the end of the month end (a case closed later is open here)."),
        *step_columns,
        Column("outcome", "Uitkomst", TEXT,
               "Outcome of a case closed by the month end: "
               + ", ".join(f"`{code}`" for code in spec.CASE_OUTCOMES) + "; empty while open."),
        Column("offer_started_on", "Start passend aanbod", DATE,
               "When the passend aanbod started; only for the offer outcomes ("
               + ", ".join(f"`{code}`" for code in spec.OFFER_OUTCOMES) + ")."),
        Column("days_out_of_school", "Dagen thuis", INTEGER,
               "Days from the first day out of school to the end of the absence: the offer's start (offer "
               "outcomes), the closing date (other outcomes) or the month end (open); never below 0."),
        Column("goal_met", "Doel gehaald", BOOLEAN,
               "Offer outcomes only: the offer started on or before the return deadline. Empty while open and "
               "for every other outcome (not applicable, so never counted as not met)."),
        Column("overdue", "Over de termijn", BOOLEAN, "Open at the month end and the return deadline has passed."),
        # Added with issue 16 (outcomes, who counts, GPO follow-up).
        Column("closed_on", "Datum afsluiting", DATE, "When the case was closed; empty while open."),
        Column("counted_from", "Telt als thuiszitter vanaf", DATE,
               "First day the case counts as a thuiszitter: the first day out of school; for `relatief_verzuim` "
               "the day its absence passed 4 weeks (first day out + 4 weeks)."),
        Column("gpo_not_followed", "Oordelen GPO niet opgevolgd", INTEGER,
               "Oordelen of the Geschillencommissie passend onderwijs that the school board did not follow "
               "(follow-up `niet_opgevolgd` recorded on or before the month end)."),
    )


CASE_COLUMN_DEFS = _case_columns()
CASE_COLUMNS = tuple(column.key for column in CASE_COLUMN_DEFS)


# --- summary.csv / sheet "Samenvatting" --------------------------------------------------------------------

# Duration of the absence, to its end (offer, closing date) or the month end, in calendar months like the goal.
DURATION_COLUMNS = (
    ("lt_4_weeks", "Korter dan 4 weken", "Absence shorter than 28 days."),
    ("4w_to_3m", "4 weken tot en met 3 maanden",
     "Absence of 28 days or more, ending on or before first day out + 3 months."),
    ("3m_to_6m", "3 tot en met 6 maanden",
     "Absence ending after first day out + 3 months, on or before + 6 months."),
    ("gt_6m", "Langer dan 6 maanden", "Absence ending after first day out + 6 months."),
)
DURATION_BUCKETS = tuple(key for key, _header, _text in DURATION_COLUMNS)
# The inspectie's own buckets (DOMAIN.md): < 3 months and "langer dan 3 maanden aaneengesloten".
WITHIN_3M = "within_3m"
GT_3M_CONTINUOUS = "gt_3m_continuous"


def _count_columns() -> tuple[Column, ...]:
    """Every count of the summary once (not yet split by absence kind), in column order."""
    return (
        Column("open_at_start", "Open bij start schooljaar", INTEGER,
               "Counted as a thuiszitter from before 1 August (carried over) and still open on 1 August."),
        Column("new", "Nieuw", INTEGER, "Counted as a thuiszitter from a date within the period."),
        Column("closed", "Gesloten", INTEGER, "Closed within the period (any outcome)."),
        Column("open_at_end", "Open aan eind maand", INTEGER, "Open at the end of the month end."),
        Column("closed_within_3_months", "Gesloten met doel gehaald", INTEGER,
               "Closed within the period with an offer outcome whose offer started on or before the return "
               "deadline (goal met). The goal-met rate is this divided by the closed cases with an offer outcome; "
               "the other outcomes are counted beside it (`closed_<outcome>`)."),
        Column("overdue_at_end", "Over de termijn aan eind maand", INTEGER,
               "Open at the month end with the return deadline passed."),
        *(Column(key, header, INTEGER, text) for key, header, text in DURATION_COLUMNS),
        *(Column(f"{kind.name}_reached", f"Stap bereikt: {kind.label.lower()}", INTEGER,
                 f"Cases that reached a step '{kind.name}' on or before the month end.") for kind in spec.KINDS),
        # Added with issue 16.
        Column(WITHIN_3M, "Tot en met 3 maanden", INTEGER,
               "Absence ending on or before first day out + 3 months (`lt_4_weeks` + `4w_to_3m`)."),
        Column(GT_3M_CONTINUOUS, "Langer dan 3 maanden aaneengesloten", INTEGER,
               "Absence longer than 3 calendar months without interruption, as the Leerplichttelling counts it "
               "(a case is one uninterrupted absence, so `3m_to_6m` + `gt_6m`)."),
        Column("gpo_not_followed", "Oordelen GPO niet opgevolgd", INTEGER,
               "Oordelen of the Geschillencommissie passend onderwijs that the school board did not follow, on "
               "the cases counted here (the inspectie asks the board why)."),
        *(Column(f"closed_{code}", f"Gesloten: {spec.OUTCOME_LABELS[code].lower()}", INTEGER,
                 f"Closed within the period with outcome `{code}`.") for code in spec.CASE_OUTCOMES),
    )


COUNT_COLUMN_DEFS = _count_columns()
COUNT_KEYS = tuple(column.key for column in COUNT_COLUMN_DEFS)


def split_key(key: str, absence_kind: str) -> str:
    """The key of a count for one absence kind, e.g. ``open_at_end_absoluut_verzuim``."""
    return f"{key}_{absence_kind}"


def _summary_columns() -> tuple[Column, ...]:
    split = tuple(
        Column(split_key(column.key, kind), f"{column.header} – {spec.ABSENCE_LABELS[kind].lower()}", INTEGER,
               f"`{column.key}` for `{kind}` only.")
        for kind in spec.ABSENCE_KINDS
        for column in COUNT_COLUMN_DEFS
    )
    return (
        Column("swv_code", "Samenwerkingsverband", TEXT, "Code of the samenwerkingsverband; one row per swv."),
        *COUNT_COLUMN_DEFS,
        *split,
        Column("signals_open_at_end", "Signalen open aan eind maand", INTEGER,
               "Signals (dreigend thuiszitter: registered, no first day out of school by the month end) still "
               "open at the end of the month end. Never part of the counts above."),
    )


SUMMARY_COLUMN_DEFS = _summary_columns()
SUMMARY_COLUMNS = tuple(column.key for column in SUMMARY_COLUMN_DEFS)


# --- The data dictionary -----------------------------------------------------------------------------------


def _table(columns: tuple[Column, ...]) -> list[str]:
    lines = ["| CSV key | xlsx header | type | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.key}` | {c.header} | {c.type} | {c.description} |" for c in columns]
    return lines


def data_dictionary() -> str:
    """The columns of both files as Markdown: the generated part of ``docs/export.md``."""
    split_example = split_key("open_at_end", spec.ABSENCE_KINDS[0])
    lines = [
        "### cases.csv (sheet \"Casussen\")",
        "",
        "One row per case that counts as a thuiszitter in the period, as it stood at the end of the month.",
        "",
        *_table(CASE_COLUMN_DEFS),
        "",
        "### summary.csv (sheet \"Samenvatting\")",
        "",
        "One row per swv. Every count is also split by absence kind: the same key followed by `_` and the kind ("
        + ", ".join(f"`{kind}`" for kind in spec.ABSENCE_KINDS) + f"), e.g. `{split_example}`; the split columns "
        "follow the totals in the order below, kind by kind.",
        "",
        *_table(tuple(c for c in SUMMARY_COLUMN_DEFS if c.key in ("swv_code", *COUNT_KEYS))),
        *_table(tuple(c for c in SUMMARY_COLUMN_DEFS if c.key == "signals_open_at_end"))[2:],
        "",
        "Types: " + "; ".join(f"{name}: {text}" for name, text in TYPE_DESCRIPTIONS.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # `python -m thuiszitters.exports.columns`: the generated part of docs/export.md
    print(data_dictionary(), end="")
