"""Every invalid reference of a request at once: the checks of cases.checks on whichever codes and BSN a request
holds, for an edge that refuses the request for other reasons before any operation runs."""
from __future__ import annotations

from typing import Any

from thuiszitters.cases.checks import Problems, gemeente_named, school_named, swv_named
from thuiszitters.errors import InvalidParam
from thuiszitters.identifiers import InvalidIdentifier, normalize_bsn


def reference_problems(values: dict[str, Any]) -> list[InvalidParam]:
    """What the reference data and the BSN rules say about whichever of ``swv_code``, ``gemeente_code``,
    ``school_brin`` and ``bsn`` the typed `values` hold, by the same checks as the operations below.

    An edge whose request has other problems (a missing field, a wrong type) refuses it before any operation runs;
    it adds these, so the client hears about every invalid field at once.
    """
    problems = Problems()
    # A blank code is the parser's to name (required); these name a code that is there but unknown.
    if values.get("swv_code"):
        swv_named(values["swv_code"], problems)
    if values.get("gemeente_code"):
        gemeente_named(values["gemeente_code"], problems)
    school_named(values.get("school_brin"), problems)
    if values.get("bsn"):
        try:
            normalize_bsn(values["bsn"])
        except InvalidIdentifier as exc:
            problems.add("bsn", exc.code, exc.message)
    return problems.items
