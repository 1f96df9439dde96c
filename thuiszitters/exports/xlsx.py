"""The export's workbook, written with XlsxWriter (pinned in pyproject.toml; docs/export.md says why).

XlsxWriter in ``constant_memory`` mode writes each row to a temporary file as it comes, so memory does not grow
with the number of cases. Every sheet gets: the Dutch headers of its columns in bold, a frozen header row, column
widths, an autofilter over the written rows, and typed cells by each column's type (``exports.columns``): a date
cell with a dd-mm-jjjj format, a number, a boolean, or text. Text is always written as a string, never as a
formula, so formula-like text (``=HYPERLINK(...)``) stays text.

Writing a cell costs XlsxWriter several microseconds, which for the national export (over 100,000 rows) is most of
the build. ``ParallelWorkbook`` therefore writes the workbook in a process of its own: the builder hands it rows in
batches through a pipe while it writes the CSV files itself, so both run side by side on two cores.

Pure: no Flask, no database.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

from thuiszitters.exports.columns import BOOLEAN, DATE, INTEGER, Column

GENERATED_FOR = "Inspectie van het Onderwijs"
DATE_FORMAT = "dd-mm-yyyy"
_BATCH = 2000


@dataclass(frozen=True)
class Properties:
    """Document properties; ``created`` replaces the current time so the same input gives the same bytes."""

    title: str
    created: datetime


class WorkbookWriter:
    """One workbook written sheet after sheet, row after row (XlsxWriter ``constant_memory``)."""

    def __init__(self, path: Path, properties: Properties, tmpdir: Path | None = None) -> None:
        self._workbook = xlsxwriter.Workbook(str(path), {
            "constant_memory": True,
            "tmpdir": str(tmpdir) if tmpdir is not None else None,
            # Text is text: never turned into a number, a formula or a link behind our back.
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        self._workbook.set_properties({"title": properties.title, "author": "Thuiszitters",
                                       "company": GENERATED_FOR, "created": properties.created})
        self._header_format = self._workbook.add_format({"bold": True})
        self._date_format = self._workbook.add_format({"num_format": DATE_FORMAT})
        self._sheet: Any = None
        self._columns: Sequence[Column] = ()
        self._cells: list[tuple[int, Any, Any]] = []
        self._row = 0

    def add_sheet(self, name: str, columns: Sequence[Column]) -> None:
        """Start a sheet (the previous one is finished): header row, widths, frozen header."""
        self._finish_sheet()
        sheet = self._workbook.add_worksheet(name)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, column.header, self._header_format)
        sheet.freeze_panes(1, 0)
        self._sheet, self._columns, self._row = sheet, columns, 0
        # How each column's value is written, looked up once per sheet: (index, method, format or None).
        methods = {DATE: sheet.write_datetime, INTEGER: sheet.write_number, BOOLEAN: sheet.write_boolean}
        self._cells = [(index, methods.get(column.type, sheet.write_string),
                        self._date_format if column.type == DATE else None)
                       for index, column in enumerate(columns)]

    def add_rows(self, rows: Iterable[Sequence[object]]) -> None:
        """Rows of values in column order: str, int, bool, date or None (an empty cell)."""
        cells = self._cells
        number = self._row
        for values in rows:
            number += 1
            for (index, write, cell_format), value in zip(cells, values, strict=True):
                if value is None or value == "":
                    continue
                if cell_format is None:
                    write(number, index, value)
                else:
                    write(number, index, value, cell_format)
        self._row = number

    def _finish_sheet(self) -> None:
        if self._sheet is not None and self._columns:
            self._sheet.autofilter(0, 0, self._row, len(self._columns) - 1)

    def close(self) -> None:
        self._finish_sheet()
        self._workbook.close()


def write_workbook(path: Path, sheets: Iterable[tuple[str, Sequence[Column], Iterable[Sequence[object]]]],
                   properties: Properties, tmpdir: Path | None = None) -> None:
    """Write a workbook with a sheet per ``(name, columns, rows)`` in this process."""
    writer = WorkbookWriter(path, properties, tmpdir)
    for name, columns, rows in sheets:
        writer.add_sheet(name, columns)
        writer.add_rows(rows)
    writer.close()


def _serve(stream: BinaryIO) -> None:
    """The writer process: a `WorkbookWriter` doing what the parent sends (pickled messages) until "close".

    Without "close" (the parent gave up) it leaves no workbook.
    """
    # Only the parent writes to this pipe (our own stdin), so its pickles are trusted; one pickle per message.
    try:
        path, properties, tmpdir = pickle.load(stream)  # noqa: S301
    except EOFError:
        return
    writer = WorkbookWriter(path, properties, tmpdir)
    while True:
        try:
            message, payload = pickle.load(stream)  # noqa: S301
        except EOFError:
            return
        if message == "sheet":
            writer.add_sheet(*payload)
        elif message == "rows":
            writer.add_rows(payload)
        elif message == "close":
            writer.close()
            return


class ParallelWorkbook:
    """A `WorkbookWriter` in a process of its own, fed through a pipe in batches of rows.

    The child is a fresh interpreter (``python -m thuiszitters.exports.xlsx``), not a fork: the caller may run
    threads (the scheduler) and hold database connections, and a forked copy of those is no place to write a file
    from; nor does it re-run the caller's main module, as ``multiprocessing``'s spawn would. It is this process's
    own child, so its time and memory count where the caller measures its children. The pipe's buffer bounds what
    is in flight: when the child falls behind, sending waits. ``close()`` waits for the child and raises when it
    failed, so a broken workbook never goes out.
    """

    def __init__(self, path: Path, properties: Properties, tmpdir: Path | None = None) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH"))
                                                           if p)}
        self._process = subprocess.Popen(  # our own interpreter and module, no shell
            [sys.executable, "-m", "thuiszitters.exports.xlsx"], stdin=subprocess.PIPE, env=env,
        )
        assert self._process.stdin is not None
        self._stdin = self._process.stdin
        self._pending: list[Sequence[object]] = []
        self._send((path, properties, tmpdir))

    def _send(self, message: object) -> None:
        try:
            pickle.dump(message, self._stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except (BrokenPipeError, ConnectionResetError):
            code = self._process.wait()
            raise RuntimeError(f"the xlsx writer stopped (exit code {code})") from None

    def _flush(self) -> None:
        if self._pending:
            self._send(("rows", self._pending))
            self._pending = []

    def add_sheet(self, name: str, columns: Sequence[Column]) -> None:
        self._flush()
        self._send(("sheet", (name, tuple(columns))))

    def add_row(self, values: Sequence[object]) -> None:
        self._pending.append(values)
        if len(self._pending) >= _BATCH:
            self._flush()

    def add_rows(self, rows: Iterable[Sequence[object]]) -> None:
        for values in rows:
            self.add_row(values)

    def close(self) -> None:
        self._flush()
        self._send(("close", None))
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        code = self._process.wait()
        if code != 0:
            raise RuntimeError(f"the xlsx writer failed (exit code {code})")

    def abandon(self) -> None:
        """Stop the child without a workbook (the build failed elsewhere)."""
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


if __name__ == "__main__":
    _serve(sys.stdin.buffer)
