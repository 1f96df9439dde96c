"""Finding a case: the search box on every page and the API's `q`, in scope only, logged without the query."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.extensions import db

SEARCH = "/casussen/zoeken"


@pytest.fixture
def world(app):
    w = factories.world()
    since = date(2026, 9, 1)
    w.ozturk = factories.case(w.swv1, w.gem1, out_of_school_since=since, first_name="Zeynep", last_name="Öztürk",
                              reference="TZ-2026-OZ001")
    w.bakker = factories.case(w.swv1, w.gem1, out_of_school_since=since, first_name="Sem", last_name="Bakker",
                              bsn="111222333", reference="TZ-2026-BK002")
    w.zoe = factories.case(w.swv1, w.gem2, out_of_school_since=since, first_name="Zoë", last_name="de Wit",
                           reference="TZ-2026-ZW003")
    # The same name in another swv and gemeente: never found by coord1 or lp1.
    w.elsewhere = factories.case(w.swv2, w.gem2, out_of_school_since=since, first_name="Emre", last_name="Öztürk",
                                 bsn="123456782", reference="TZ-2026-OZ999")
    w.tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "leerplicht", "inspectie")}
    db.session.commit()
    return w


def _search(client, query: str, page: str | None = None):
    token = csrf_from(client.get(SEARCH).get_data(as_text=True))
    data = {"q": query, "csrf_token": token}
    if page:
        data["page"] = page
    return client.post(SEARCH, data=data)


def _references(html: str) -> list[str]:
    return re.findall(r">(TZ-[0-9A-Z-]+)</a>", html)


def _search_events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.search")
                                   .order_by(AuditEvent.id)))


def test_part_of_a_name_without_accents_finds_the_pupil_in_scope_only(world, auth, client):
    auth.login("coord1@example.nl")
    response = _search(client, "ozturk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _references(html) == ["TZ-2026-OZ001"]
    assert "Zeynep Öztürk" in html and "Emre" not in html
    assert "1 casus gevonden" in html
    assert _references(_search(client, "ÖZT").get_data(as_text=True)) == ["TZ-2026-OZ001"]
    assert _references(_search(client, "zoe").get_data(as_text=True)) == ["TZ-2026-ZW003"]
    # Every word must occur, in the first or the last name.
    assert _references(_search(client, "sem bakk").get_data(as_text=True)) == ["TZ-2026-BK002"]
    assert _references(_search(client, "sem wit").get_data(as_text=True)) == []


def test_a_reference_or_its_start_and_an_exact_bsn_find_the_case(world, auth, client):
    auth.login("coord1@example.nl")
    assert _references(_search(client, "tz-2026-bk").get_data(as_text=True)) == ["TZ-2026-BK002"]
    assert _references(_search(client, "TZ-2026-BK002").get_data(as_text=True)) == ["TZ-2026-BK002"]
    assert _references(_search(client, "111 222 333").get_data(as_text=True)) == ["TZ-2026-BK002"]
    # A BSN in another scope is not found, and that looks exactly like a BSN that is nowhere.
    nothing = _search(client, "123456782").get_data(as_text=True)
    assert _references(nothing) == [] and "0 casussen gevonden" in nothing


def test_the_leerplicht_finds_the_pupils_of_its_gemeente(world, auth, client):
    auth.login("lp1@example.nl")
    assert _references(_search(client, "ozt").get_data(as_text=True)) == ["TZ-2026-OZ001"]
    assert _references(_search(client, "zoe").get_data(as_text=True)) == []  # lives in Zaanstad


def test_like_wildcards_are_plain_characters(world, auth, client):
    auth.login("coord1@example.nl")
    assert _references(_search(client, "%%").get_data(as_text=True)) == []
    assert _references(_search(client, "__").get_data(as_text=True)) == []


@pytest.mark.parametrize(("query", "message"), [
    ("", "Vul een casusnummer, (een deel van) een naam of een BSN in."),
    ("a", "Vul minstens 2 letters of cijfers in."),
    ("123456789", "elfproef"),
])
def test_a_query_that_cannot_be_searched_gets_a_dutch_message_beside_the_field(world, auth, client, query, message):
    auth.login("coord1@example.nl")
    response = _search(client, query)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="q-error">(.*?)</', html, re.S)
    assert error and message in error.group(1)
    assert _search_events() == []


def test_the_search_box_is_on_every_page_of_who_may_search_and_posts_the_query(world, auth, client):
    auth.login("coord1@example.nl")
    for path in ("/", "/casussen", f"/casussen/{world.bakker.id}"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        box = re.search(r'<form method="post" action="/casussen/zoeken" role="search"', html)
        assert box, path
    auth.logout()
    auth.login("lp1@example.nl")
    assert 'role="search"' in client.get("/", follow_redirects=True).get_data(as_text=True)
    auth.logout()
    auth.login("insp@example.nl")
    assert 'role="search"' not in client.get("/", follow_redirects=True).get_data(as_text=True)
    assert client.get(SEARCH).status_code == 403


def test_a_query_in_the_address_is_ignored(world, auth, client):
    auth.login("coord1@example.nl")
    html = client.get(f"{SEARCH}?q=ozturk").get_data(as_text=True)
    assert _references(html) == [] and "gevonden" not in html


def test_every_search_is_logged_with_the_cases_shown_and_never_the_query(world, auth, client):
    auth.login("coord1@example.nl")
    _search(client, "111222333")
    _search(client, "ozturk")
    _search(client, "nergens")
    events = _search_events()
    assert [event.changes["searched_by"] for event in events] == ["bsn", "naam_of_casusnummer",
                                                                  "naam_of_casusnummer"]
    assert [event.changes["case_ids"] for event in events] == [[world.bakker.id], [world.ozturk.id], []]
    assert {event.actor_id for event in events} == {world.coordinator.id}
    for event in events:
        row = json.dumps({"changes": event.changes, "reason": event.reason})
        for typed in ("111222333", "ozturk", "Öztürk", "nergens"):
            assert typed not in row


def test_the_results_are_paged_without_putting_the_query_in_the_address(world, auth, client):
    for i in range(30):
        factories.case(world.swv1, world.gem1, out_of_school_since=date(2026, 9, 1), first_name="Daan",
                       last_name=f"Jansen {i}")
    db.session.commit()
    auth.login("coord1@example.nl")
    first = _search(client, "jansen").get_data(as_text=True)
    second = _search(client, "jansen", page="2").get_data(as_text=True)
    assert "30 casussen gevonden (pagina 1 van 2)" in first
    assert len(_references(first)) == 25 and len(_references(second)) == 5
    assert not set(_references(first)) & set(_references(second))


def test_a_renamed_pupil_is_found_by_the_new_name(world, auth, client):
    pupil = db.session.get(Pupil, world.bakker.pupil_id)
    pupil.last_name = "Ünal"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Case, world.bakker.id).search_key == "tz-2026-bk002 sem unal"
    auth.login("coord1@example.nl")
    assert _references(_search(client, "unal").get_data(as_text=True)) == ["TZ-2026-BK002"]
    assert _references(_search(client, "bakker").get_data(as_text=True)) == []


# --- the API ------------------------------------------------------------------------------------------------


def _api(client, world, path, who="coordinator", **kwargs):
    return client.open(f"/api/v1{path}", headers={"Authorization": f"Bearer {world.tokens[who]}"}, **kwargs)


def test_the_api_finds_cases_with_q_in_scope_only(world, client):
    response = _api(client, world, "/cases?q=ozt")
    assert response.status_code == 200
    assert [item["reference"] for item in response.json["items"]] == ["TZ-2026-OZ001"]
    assert response.json["total"] == 1
    by_bsn = _api(client, world, "/cases?q=111222333").json
    assert [item["reference"] for item in by_bsn["items"]] == ["TZ-2026-BK002"]
    assert _api(client, world, "/cases?q=123456782").json["items"] == []
    # Combined with the other filters.
    assert _api(client, world, "/cases?q=ozt&status=closed").json["items"] == []
    leerplicht = _api(client, world, "/cases?q=zoe", who="leerplicht").json
    assert leerplicht["items"] == []


def test_the_api_search_in_the_body_keeps_a_bsn_out_of_the_url(world, client):
    response = _api(client, world, "/cases/search", method="POST", json={"q": "111222333"})
    assert response.status_code == 200
    assert [item["reference"] for item in response.json["items"]] == ["TZ-2026-BK002"]
    events = _search_events()
    assert len(events) == 1 and events[0].changes["searched_by"] == "bsn"
    assert events[0].changes["listed_on"] == "/api/v1/cases/search"


@pytest.mark.parametrize("query", ["", "a", "123456789", "x" * 101])
def test_the_api_refuses_a_query_it_cannot_search_naming_q(world, client, query):
    for response in (_api(client, world, f"/cases?q={query}"),
                     _api(client, world, "/cases/search", method="POST", json={"q": query})):
        assert response.status_code == 400
        assert response.content_type == "application/problem+json"
        assert [param["name"] for param in response.json["invalidParams"]] == ["q"]


def test_the_inspectie_may_not_search(world, client):
    assert _api(client, world, "/cases?q=ozt", who="inspectie").status_code == 403
    assert _api(client, world, "/cases/search", who="inspectie", method="POST", json={"q": "ozt"}).status_code == 403


def test_the_openapi_document_describes_q_and_the_search_endpoint(world, client):
    spec = client.get("/api/v1/openapi.json").json
    names = [param["name"] for param in spec["paths"]["/cases"]["get"]["parameters"]]
    assert "q" in names
    assert "post" in spec["paths"]["/cases/search"]


def test_a_case_registered_through_the_service_and_its_edit_are_searchable(world, auth, client, clock):
    from thuiszitters.cases.services import CaseInput, create_case, update_case

    clock.set_today(date(2026, 10, 1))
    case = create_case(CaseInput(first_name="Łukasz", last_name="Şahin", date_of_birth=date(2014, 3, 1),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=date(2026, 9, 1)), actor=world.coordinator,
                       today=date(2026, 10, 1))
    db.session.commit()
    auth.login("coord1@example.nl")
    assert _references(_search(client, "lukasz sahin").get_data(as_text=True)) == [case.reference]
    assert _references(_search(client, case.reference.lower()).get_data(as_text=True)) == [case.reference]
    update_case(case, {"last_name": "Çelik"}, expected_version=case.version, actor=world.coordinator,
                today=date(2026, 10, 1))
    db.session.commit()
    assert _references(_search(client, "celik").get_data(as_text=True)) == [case.reference]
    assert _references(_search(client, "sahin").get_data(as_text=True)) == []
