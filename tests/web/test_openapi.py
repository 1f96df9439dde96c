"""The OpenAPI document is served and matches the routes exactly."""
import re

from tests import factories
from thuiszitters.extensions import db


def _routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + _camel(m.group(1)) + "}", rule.rule[len("/api/v1"):])
        routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def test_openapi_document_lists_exactly_the_routes_and_their_methods(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = {path: set(ops) for path, ops in doc["paths"].items()}
    assert documented == _routes(app)


def test_every_operation_declares_its_responses_and_path_parameters(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, operations in doc["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path}"
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, f"{method} {path}"


def test_the_api_carries_its_version_header_and_reference_data(app, client):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    response = client.get("/api/v1/swvs", headers={"Authorization": f"Bearer {token}"})
    assert response.headers["API-Version"].startswith("1.")
    assert [s["code"] for s in response.get_json()["items"]] == ["PO 27-01", "VO 27-02"]
