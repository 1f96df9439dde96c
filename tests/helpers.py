"""What several test modules share: counting queries, checking PDFs."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from thuiszitters.extensions import db

_TRANSACTION_CONTROL = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)")


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, in order (every connection of the app's engine)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def data_queries(statements: list[str]) -> list[str]:
    """The statements without transaction control (savepoints, rollbacks)."""
    return [statement for statement in statements if not _TRANSACTION_CONTROL.match(statement)]


def assert_qpdf_clean(pdf: bytes) -> None:
    """`qpdf --check` finds no syntax, structure or stream error in the PDF (exit 0, no warnings).

    qpdf comes from the system (apt-get install qpdf); without it the check skips, except in CI (CI=true).
    """
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        if os.environ.get("CI") == "true":
            pytest.fail("qpdf is missing; CI must install it (apt-get install qpdf)")
        pytest.skip("qpdf not installed")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summary.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, timeout=60,
                                check=False)
    assert result.returncode == 0, f"qpdf --check failed ({result.returncode}): {result.stdout}{result.stderr}"
    assert "No syntax or stream encoding errors found" in result.stdout


NU_CHECKER = Path(__file__).resolve().parent / "html_checker/node_modules/vnu-jar/build/dist/vnu.jar"


def assert_nu_valid(pages: dict[str, str]) -> None:
    """The Nu HTML Checker (vnu.jar, run by Java) finds no error and no warning in any of the pages.

    The jar comes from npm (`npm ci --ignore-scripts --prefix tests/html_checker`) and Java from the system; CI
    installs both (.ci/run). Without them the check skips, except in CI (CI=true), so `make test` needs only Python.
    """
    java = shutil.which("java")
    if java is None or not NU_CHECKER.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the Nu HTML Checker is missing; CI must install Java and tests/html_checker (npm ci)")
        pytest.skip("the Nu HTML Checker (Java and tests/html_checker/node_modules) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, page in pages.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(page, encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run([java, "-jar", str(NU_CHECKER), "--format", "json", "--stdout", *paths],
                                capture_output=True, text=True, timeout=180, check=False)
    messages = json.loads(result.stdout)["messages"] if result.stdout.strip() else []
    problems = [f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m.get('type')}/{m.get('subType', '')} "
                f"{m.get('message')} ({m.get('extract', '').strip()[:80]})" for m in messages]
    assert result.returncode == 0 and problems == [], "\n".join(problems) or result.stderr
