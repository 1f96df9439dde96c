"""The OpenAPI 3.1 document of /api/v1 (kept true by tests/web/test_openapi.py)."""
from __future__ import annotations

from typing import Any


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Thuiszitters API", "version": "1.0.0"},
        "paths": {},
    }
