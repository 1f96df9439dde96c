"""schemathesis over the OpenAPI document: whatever it sends, the API never answers with a 5xx.

schemathesis' own pytest plugin does not work with this pytest, so the test drives its strategies with
hypothesis directly, one operation at a time.
"""
from __future__ import annotations

from datetime import date

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests import factories
from thuiszitters.extensions import db


def test_no_generated_request_makes_the_api_fail(app):
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    for day in range(1, 4):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, day))
    token = factories.token(w.coordinator)
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = 0

    def fuzz(operation) -> None:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{operation.method.upper()} {operation.path} -> {response.status_code}: "
                                f"{case.path_parameters} {case.query} {case.body!r:.200}")

        exercise()

    for result in schema.get_all_operations():
        operations += 1
        fuzz(result.ok())
    assert operations >= 15
    assert failures == [], "\n".join(failures)
