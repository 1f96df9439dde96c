"""`make lint-api`: the NL API Design Rules linter (Spectral with the Logius ruleset) on the OpenAPI document as the
app serves it. Exits non-zero on any error (the ADR's rules are errors; its few warnings are printed).

Spectral is pinned in tests/api_lint/package.json (`npm ci --prefix tests/api_lint --ignore-scripts`); the
ruleset is `../shared/adr-linter.yaml` (ADR_RULESET overrides). The served document's server URL is
THUISZITTERS_BASE_URL + /api/v1; unset, an https example host stands in, as production requires https.
tests/api/test_api_lint.py runs the same check inside the suite.

    .venv/bin/python tests/api_lint/lint.py [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPECTRAL = HERE / "node_modules" / ".bin" / "spectral"
RULESET = Path(os.environ.get("ADR_RULESET", ROOT.parent / "shared" / "adr-linter.yaml"))
SEVERITIES = {0: "error", 1: "warning", 2: "info", 3: "hint"}
EXAMPLE_BASE_URL = "https://thuiszitters.example.nl"


def missing() -> str | None:
    """Why the linter cannot run here, or None."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not SPECTRAL.exists():
        return "Spectral is missing: run `npm ci --prefix tests/api_lint --ignore-scripts`"
    if not RULESET.exists():
        return f"the ADR ruleset {RULESET} is missing"
    return None


def findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Spectral's findings on `document` with the ADR ruleset: [{"code", "message", "path", "severity"}]."""
    with tempfile.TemporaryDirectory(prefix="lint-api-") as folder:
        path = Path(folder) / "openapi.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        result = subprocess.run(
            [str(SPECTRAL), "lint", "--ruleset", str(RULESET), "--format", "json", "--quiet",
             "--fail-severity", "hint", str(path)],
            capture_output=True, text=True, timeout=300, check=False,
        )
    output = result.stdout.strip()
    if result.returncode not in (0, 1) or not output.startswith("["):
        raise RuntimeError(f"spectral failed ({result.returncode}): {result.stderr or output}"[:2000])
    return [{"code": f["code"], "message": f["message"], "path": ".".join(map(str, f.get("path", []))),
             "severity": SEVERITIES.get(f.get("severity"), str(f.get("severity")))} for f in json.loads(output)]


def served_document(base_url: str) -> dict[str, Any]:
    """GET /api/v1/openapi.json from the app, with `base_url` as THUISZITTERS_BASE_URL (no database is read)."""
    sys.path.insert(0, str(ROOT))
    from thuiszitters import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "BASE_URL": base_url})
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="also write the linted document here")
    args = parser.parse_args(argv)
    reason = missing()
    if reason:
        print(f"lint-api: {reason}", file=sys.stderr)
        return 2
    document = served_document(os.environ.get("THUISZITTERS_BASE_URL") or EXAMPLE_BASE_URL)
    if args.out:
        Path(args.out).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    found = findings(document)
    for finding in found:
        print(f"{finding['severity']:8} {finding['code']:40} {finding['path']}: {finding['message']}")
    errors = sum(1 for f in found if f["severity"] == "error")
    print(f"lint-api: {errors} errors, {len(found) - errors} other findings "
          f"({len(document['paths'])} paths, ruleset {RULESET.name})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
