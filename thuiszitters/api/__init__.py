"""The JSON API (/api/v1): bearer tokens, problem+json errors, camelCase fields.

`blueprint.py` holds the blueprint and its authentication; each module below adds its routes and its part of the
OpenAPI document (`openapi.py`). Input is parsed by `inputs.py`; refusals become problem+json in http/errors.py.
"""
from thuiszitters.api import (  # noqa: F401  (routes)
    alerts,
    cases,
    casework,
    documents,
    exports,
    meta,
    plan,
    reference,
    summary,
    worklist,
)
from thuiszitters.api.blueprint import bp

__all__ = ["bp"]
