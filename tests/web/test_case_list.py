"""The case list (filters, sorting, pagination, overdue marking) and the query cost of the case pages."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests import factories
from tests.helpers import counted_queries
from thuiszitters.cases.services import CaseInput, add_step, create_case
from thuiszitters.extensions import db

TODAY = date(2026, 11, 2)
ROW_RE = re.compile(r'<th scope="row"><a href="/casussen/\d+">([^<]+)</a></th>')


def _world():
    w = factories.world()
    w.school1 = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    w.school2 = factories.school("12AB01", swv_obj=w.swv1, gemeente_obj=w.gem2, name="Het Kompas")
    return w


def _references(html: str) -> list[str]:
    return ROW_RE.findall(html)


def test_the_list_is_sorted_by_deadline_and_marks_overdue_rows_in_text(app, auth, client):
    w = _world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-LATER")
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-OVERDUE")
    factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 6, 1), reference="TZ-OTHER-SWV")
    db.session.commit()
    auth.login("coord1@example.nl")
    html = client.get("/casussen").get_data(as_text=True)
    assert _references(html) == ["TZ-OVERDUE", "TZ-LATER"]
    overdue_row = html.split("TZ-OVERDUE")[1].split("</tr>")[0]
    assert "Over de termijn" in overdue_row and "62 dagen te laat" in overdue_row
    later_row = html.split("TZ-LATER")[1].split("</tr>")[0]
    assert "Over de termijn" not in later_row and "Nog 29 dagen" in later_row


def test_the_list_filters_by_status_overdue_step_gemeente_and_school(app, auth, client):
    w = _world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-A-OVERDUE", school_obj=w.school1)
    factories.case(w.swv1, w.gem2, out_of_school_since=date(2026, 9, 1), reference="TZ-B-ZAANSTAD",
                   school_obj=w.school2)
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 5, 1), reference="TZ-C-CLOSED", status="closed")
    db.session.commit()
    staged = create_case(CaseInput(first_name="Lot", last_name="Smit", date_of_birth=date(2012, 1, 1),
                                   gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="relatief_verzuim",
                                   out_of_school_since=date(2026, 10, 1)), actor=w.coordinator, today=TODAY)
    add_step(staged, "aanmelding", {"received_on": date(2026, 10, 5)}, expected_version=staged.version,
             actor=w.coordinator, today=TODAY)
    db.session.commit()
    auth.login("coord1@example.nl")

    def refs(query: str) -> set[str]:
        response = client.get(f"/casussen?{query}")
        assert response.status_code == 200
        return set(_references(response.get_data(as_text=True)))

    # Issue 20: the list shows the cases still running unless asked for the closed ones too.
    assert refs("") == {"TZ-A-OVERDUE", "TZ-B-ZAANSTAD", staged.reference}
    assert refs("status=alle") == {"TZ-A-OVERDUE", "TZ-B-ZAANSTAD", "TZ-C-CLOSED", staged.reference}
    assert refs("status=closed") == {"TZ-C-CLOSED"}
    assert refs("overdue=ja") == {"TZ-A-OVERDUE"}
    assert refs("overdue=nee&status=open") == {"TZ-B-ZAANSTAD", staged.reference}
    assert refs("stage=aanmelding") == {staged.reference}
    assert refs("stage=none&status=open") == {"TZ-A-OVERDUE", "TZ-B-ZAANSTAD"}
    assert refs("gemeente=GM0479") == {"TZ-B-ZAANSTAD"}
    assert refs("school=07NU00") == {"TZ-A-OVERDUE"}
    assert refs("status=nonsense") == refs("")  # an unknown value filters nothing, and is no error

    page = client.get("/casussen?gemeente=GM0479").get_data(as_text=True)
    assert '<label for="gemeente">Gemeente</label>' in page
    assert '<option selected value="GM0479">Zaanstad</option>' in page
    assert "Filters wissen" in page


def test_pagination_keeps_the_filters(app, auth, client):
    w = _world()
    for i in range(30):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1) - timedelta(days=i),
                       reference=f"TZ-P-{i:03d}")
    factories.case(w.swv1, w.gem2, out_of_school_since=date(2026, 9, 1), reference="TZ-ELSEWHERE")
    db.session.commit()
    auth.login("coord1@example.nl")
    first = client.get("/casussen?gemeente=GM0363&status=open").get_data(as_text=True)
    assert len(_references(first)) == 25
    assert "30 casussen gevonden met deze filters" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "page=2" in next_link and "gemeente=GM0363" in next_link and "status=open" in next_link
    second = client.get(next_link).get_data(as_text=True)
    refs = _references(second)
    assert len(refs) == 5 and "TZ-ELSEWHERE" not in refs
    assert refs[-1] == "TZ-P-000"  # the latest deadline comes last
    assert 'aria-current="page"' in second


def test_the_list_costs_the_same_number_of_queries_for_5_or_40_cases(app, auth, client):
    w = _world()
    db.session.commit()
    auth.login("coord1@example.nl")

    def add(n: int, offset: int) -> None:
        for i in range(n):
            school = w.school1 if i % 2 else w.school2
            factories.case(w.swv1, w.gem1 if i % 3 else w.gem2, out_of_school_since=date(2026, 6, 1)
                           + timedelta(days=i), reference=f"TZ-Q-{offset + i:03d}", school_obj=school)
        db.session.commit()

    add(5, 0)
    client.get("/casussen")  # warm up (first request of a session)
    with counted_queries() as few:
        html = client.get("/casussen").get_data(as_text=True)
    assert len(_references(html)) == 5
    add(35, 5)
    with counted_queries() as many:
        html = client.get("/casussen").get_data(as_text=True)
    assert len(_references(html)) == 25
    assert len(few) == len(many), "\n".join(s[:80] for s in few) + "\n----\n" + "\n".join(s[:80] for s in many)


def test_the_case_page_costs_the_same_number_of_queries_whatever_its_history(app, auth, client):
    w = _world()
    db.session.commit()

    def new_case():
        return create_case(CaseInput(first_name="Lot", last_name="Smit", date_of_birth=date(2012, 1, 1),
                                     gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                     out_of_school_since=date(2026, 9, 1)), actor=w.coordinator, today=TODAY)

    small = new_case()
    big = new_case()
    db.session.commit()
    for kind, values in [
        ("aanmelding", {"received_on": date(2026, 9, 7), "school_brin": "07NU00"}),
        ("aanmelding", {"received_on": date(2026, 9, 8), "school_brin": "12AB01", "decision": "afgewezen",
                        "decided_on": date(2026, 9, 30)}),
        ("swv_inzet", {"started_on": date(2026, 10, 1), "action": "tlv", "ended_on": date(2026, 10, 15)}),
        ("consulent", {"consulent_type": "onderwijsconsulent", "parental_consent": True,
                       "requested_on": date(2026, 10, 16)}),
        ("geschillencommissie", {"subject": "toelating", "filed_on": date(2026, 10, 20)}),
    ]:
        add_step(big, kind, values, expected_version=big.version, actor=w.coordinator, today=TODAY)
        db.session.commit()
    small_id, big_id = small.id, big.id
    auth.login("coord1@example.nl")
    client.get(f"/casussen/{small_id}")
    with counted_queries() as few:
        assert client.get(f"/casussen/{small_id}").status_code == 200
    with counted_queries() as many:
        html = client.get(f"/casussen/{big_id}").get_data(as_text=True)
    assert "Het Kompas (12AB01)" in html and "De Regenboog (07NU00)" in html
    assert len(few) == len(many), "\n".join(s[:80] for s in few) + "\n----\n" + "\n".join(s[:80] for s in many)


def test_columns_sort_with_links_and_say_so_with_aria_sort_and_the_filters_stay(app, auth, client):
    w = _world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-B", last_name="Aalders")
    factories.case(w.swv1, w.gem2, out_of_school_since=date(2026, 6, 1), reference="TZ-C", last_name="Zwart")
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 1), reference="TZ-A", last_name="Mulder")
    db.session.commit()
    auth.login("coord1@example.nl")

    html = client.get("/casussen").get_data(as_text=True)
    assert _references(html) == ["TZ-C", "TZ-A", "TZ-B"]  # by return goal, soonest first
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="[^"]*sorteer=terugkeerdoel[^"]*richting=af',
                     html)
    assert html.count("aria-sort=") == 1

    html = client.get("/casussen?sorteer=leerling").get_data(as_text=True)
    assert _references(html) == ["TZ-B", "TZ-A", "TZ-C"]
    assert re.search(r'aria-sort="ascending"><a href="[^"]*sorteer=leerling[^"]*" class="sort-link">Leerling</a>', html)
    html = client.get("/casussen?sorteer=leerling&richting=af").get_data(as_text=True)
    assert _references(html) == ["TZ-C", "TZ-A", "TZ-B"]
    assert 'aria-sort="descending"' in html
    html = client.get("/casussen?sorteer=casus&gemeente=GM0363").get_data(as_text=True)
    assert _references(html) == ["TZ-A", "TZ-B"]
    # The filter form keeps the order (a visible choice since issue 20: on a phone the headers are hidden), and
    # the headers keep the filter.
    assert re.search(r'<select [^>]*name="sorteer"[^>]*>.*?<option selected value="casus">Casus</option>', html, re.S)
    html = client.get("/casussen?sorteer=leerling&richting=af&gemeente=GM0363").get_data(as_text=True)
    assert _references(html) == ["TZ-A", "TZ-B"]  # by pupil, descending, within the filter
    assert re.search(r'<select [^>]*name="richting"[^>]*>.*?<option selected value="af">Aflopend</option>', html, re.S)
    html = client.get("/casussen?sorteer=casus&gemeente=GM0363").get_data(as_text=True)
    assert re.search(r'<a href="[^"]*gemeente=GM0363[^"]*sorteer=leerling', html)
    assert client.get("/casussen?sorteer=nonsense").status_code == 200


def test_the_next_deadline_column_shows_the_soonest_open_term(app, auth, client):
    w = _world()
    running = create_case(CaseInput(first_name="Lot", last_name="Smit", date_of_birth=date(2012, 1, 1),
                                    gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                    out_of_school_since=date(2026, 10, 1)), actor=w.coordinator, today=TODAY)
    # Received 20-10: the school decides by 01-12-2026, before the return goal of 01-01-2027.
    add_step(running, "aanmelding", {"received_on": date(2026, 10, 20)}, expected_version=running.version,
             actor=w.coordinator, today=TODAY)
    decided = create_case(CaseInput(first_name="Bo", last_name="Kok", date_of_birth=date(2012, 1, 1),
                                    gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                    out_of_school_since=date(2026, 10, 1)), actor=w.coordinator, today=TODAY)
    add_step(decided, "aanmelding", {"received_on": date(2026, 10, 20), "decision": "afgewezen",
                                     "decided_on": date(2026, 10, 30)}, expected_version=decided.version,
             actor=w.coordinator, today=TODAY)
    db.session.commit()
    auth.login("coord1@example.nl")
    html = client.get("/casussen").get_data(as_text=True)
    rows = {ref: row for row in html.split("<tr")[2:] for ref in _references("<tr" + row)}
    assert re.search(r'data-label="Volgende termijn"><span class="nowrap">01-12-2026</span> '
                     r'<span class="muted">Besluit uiterlijk</span>', rows[running.reference])
    # Decided: the decision term is met, the return goal is next.
    assert re.search(r'data-label="Volgende termijn"><span class="nowrap">01-01-2027</span> '
                     r'<span class="muted">Terugkeerdoel</span>', rows[decided.reference])
