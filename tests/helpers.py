"""Small checks shared by several test modules."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


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
