"""The export's CSV files: how a cell is written and read back.

CSV files are UTF-8 with a BOM, ``;``-separated, with CRLF line ends (RFC 4180, and what Excel writes
itself). A cell starting with ``= + - @``, a tab or a carriage return gets a leading ``'`` so a spreadsheet
shows it as text instead of running it as a formula; a cell that already starts with ``'`` gets one too, so
the escape can be undone exactly (`unescape_cell`). Pure: no Flask, no database.
"""
from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

Cell: TypeAlias = str | int | None
Row: TypeAlias = Mapping[str, Cell]

_ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_ESCAPED_FIRST = frozenset(_ESCAPED_STARTS)


def escape_cell(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet could run as a formula, and to one already starting with it."""
    return "'" + text if text[:1] in _ESCAPED_FIRST else text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell`."""
    return text[1:] if text[:1] == "'" else text


def _cell_text(value: Cell) -> str:
    if type(value) is str:  # the common case first: this runs for every cell
        return value
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"export cells are str, int or None, got {type(value).__name__}")
    return str(value)


def values_getter(columns: Sequence[str]) -> Callable[[Row], tuple[Cell, ...]]:
    """A fast function from a row to its values in column order (KeyError for a missing column)."""
    if len(columns) == 1:
        column = columns[0]
        return lambda row: (row[column],)
    return operator.itemgetter(*columns)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Write rows to a CSV file as they come: UTF-8 BOM, ``;``-separated, CRLF, formula-like cells escaped.

    Each row must hold every column; extra keys are not written.
    """
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([escape_cell(column) for column in columns])
        values_of = values_getter(columns)
        for row in rows:
            # Plain text that needs no escape is the common case; it skips the function calls.
            writer.writerow([
                value if type(value) is str and value[:1] not in _ESCAPED_FIRST else escape_cell(_cell_text(value))
                for value in values_of(row)
            ])


def read_csv(path: Path, integer_columns: Iterable[str] = ()) -> Iterator[dict[str, Cell]]:
    """Read back a file written by `write_csv` one row at a time, unescaped; integer columns as int."""
    integers = frozenset(integer_columns)
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [unescape_cell(name) for name in next(reader)]
        for record in reader:
            row: dict[str, Cell] = {}
            for column, raw in zip(header, record, strict=True):
                text = unescape_cell(raw)
                row[column] = int(text) if column in integers and text else text
            yield row


def escaped_csv_row(texts: list[str]) -> list[str]:
    """Cells that are text already, escaped where a spreadsheet could run them (the hot path of a case row)."""
    return [text if text[:1] not in _ESCAPED_FIRST else escape_cell(text) for text in texts]
