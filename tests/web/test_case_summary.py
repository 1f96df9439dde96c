"""The case summary PDF: what a coordinator downloads from the case page, the API or the command line."""
from __future__ import annotations

import io
from datetime import date

import pypdf
import pypdfium2 as pdfium
from sqlalchemy import select

from tests import factories
from tests.helpers import assert_qpdf_clean, counted_queries, data_queries
from thuiszitters.accounts.models import User
from thuiszitters.alerts.models import Alert
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
from thuiszitters.cases import services
from thuiszitters.cases.models import Case
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.reports.summary import summary_for_case
from thuiszitters.text import AMSTERDAM

NOTE = "Moeder belt dagelijks: <b>school & zorg</b> overleggen"


def _world_with_school():
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="Basisschool De Ærø")
    return w


def _case_through_services(w, clock, *, first_name: str = "Łukasz") -> Case:
    """A case with a chain of three steps, built the way a coordinator builds it."""
    clock.set_today(date(2026, 9, 2))
    case = services.create_case(
        services.CaseInput(first_name=first_name, last_name="Şahin-Ærøe", date_of_birth=date(2014, 3, 1),
                           gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                           out_of_school_since=date(2026, 9, 1), bsn="111222333", school_brin="07NU00",
                           note=NOTE),
        actor=w.coordinator, today=clock.today(),
    )
    clock.set_today(date(2026, 10, 1))
    services.add_step(case, "aanmelding", {"school_brin": "07NU00", "received_on": date(2026, 9, 3),
                                           "decision": "afgewezen", "decided_on": date(2026, 10, 1)},
                      expected_version=case.version, actor=w.coordinator, today=clock.today())
    clock.set_today(date(2026, 10, 20))
    services.add_step(case, "swv_inzet", {"started_on": date(2026, 10, 2), "action": "tlv",
                                          "ended_on": date(2026, 10, 20)},
                      expected_version=case.version, actor=w.coordinator, today=clock.today())
    clock.set_today(date(2026, 10, 22))
    services.add_step(case, "consulent", {"consulent_type": "onderwijsconsulent", "parental_consent": True,
                                          "requested_on": date(2026, 10, 21)},
                      expected_version=case.version, actor=w.coordinator, today=clock.today())
    clock.set_today(date(2026, 11, 2))
    db.session.commit()
    return case


def _text(pdf: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def _pdf_events(case_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "case.pdf")
        .order_by(AuditEvent.id)
    ))


def _bearer(user) -> dict[str, str]:
    token = factories.token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_coordinator_downloads_the_summary_from_the_case_page(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    auth.login("coord1@example.nl")

    # With the journal: the note the case was registered with is its first entry (issue 18).
    response = client.get(f"/casussen/{case.id}/samenvatting.pdf?journaal=ja")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{case.reference}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    text, _ = _text(response.data)
    assert case.reference in text
    assert "Vertrouwelijk" in text
    assert "Łukasz Şahin-Ærøe" in text
    assert "Basisschool De Ærø" in text
    for label in ("Schriftelijke aanmelding", "Inzet samenwerkingsverband", "Onderwijs(zorg)consulent"):
        assert label in text
    assert "Afgewezen" in text and "Toelaatbaarheidsverklaring (TLV)" in text
    assert "Stap vastgelegd: Schriftelijke aanmelding" in text  # the timeline
    assert "Lp1" in text  # the leerplicht user of the pupil's gemeente is a party
    assert "Pagina 1 van" in text
    # The note's markup is shown as typed, not interpreted.
    assert "<b>school & zorg</b>" in text
    # The BSN is masked.
    assert "******333" in text and "111222333" not in text
    events = _pdf_events(case.id)
    assert [(e.actor_id, e.processing_activity) for e in events] == [(w.coordinator.id, ACTIVITY_CASE_MANAGEMENT)]


def test_the_api_and_the_command_line_give_the_same_summary_and_each_download_is_logged(
        app, client, runner, clock, tmp_path):
    w = _world_with_school()
    case = _case_through_services(w, clock)

    response = client.get(f"/api/v1/cases/{case.id}/summary", headers=_bearer(w.coordinator))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{case.reference}.pdf"'
    assert "Łukasz Şahin-Ærøe" in _text(response.data)[0]

    out = tmp_path / "overzicht.pdf"
    result = runner.invoke(args=["case", "pdf", case.reference, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text, _ = _text(out.read_bytes())
    assert case.reference in text and "Łukasz Şahin-Ærøe" in text and "Pagina 1 van" in text
    assert "door Systeem" in text

    events = _pdf_events(case.id)
    assert [(e.actor_id, e.changes) for e in events] == [(w.coordinator.id, {"via": "api"}),
                                                         (None, {"via": "cli"})]


def test_the_command_line_refuses_an_unknown_reference(app, runner, tmp_path):
    out = tmp_path / "overzicht.pdf"
    result = runner.invoke(args=["case", "pdf", "TZ-2026-XXXXX", "--out", str(out)])
    assert result.exit_code == 1
    assert "geen casus met nummer TZ-2026-XXXXX" in result.output
    assert not out.exists()


def test_the_command_line_logs_nothing_when_the_file_cannot_be_written(app, runner, clock, tmp_path):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    result = runner.invoke(args=["case", "pdf", case.reference, "--out", str(tmp_path / "geen-map" / "x.pdf")])
    assert result.exit_code == 1
    assert "kan" in result.output and "niet schrijven" in result.output
    assert _pdf_events(case.id) == []


def test_only_coordinators_in_scope_may_download(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    url = f"/casussen/{case.id}/samenvatting.pdf"
    assert client.get(url).status_code == 302  # to the login page

    auth.login("lp1@example.nl")  # sees the case, but a summary is a coordinator action
    assert client.get(f"/casussen/{case.id}").status_code == 200
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("coord2@example.nl")  # another swv: the case does not exist for them
    response = client.get(url)
    assert response.status_code == 404
    assert "Şahin" not in response.get_data(as_text=True)
    auth.logout()
    auth.login("insp@example.nl")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("admin@example.nl")  # an admin without a scope sees no case content
    assert client.get(url).status_code == 404

    api = f"/api/v1/cases/{case.id}/summary"
    inspectie = client.get(api, headers=_bearer(w.inspectie))
    assert inspectie.status_code == 403
    assert inspectie.mimetype == "application/problem+json"
    assert client.get(api, headers=_bearer(w.leerplicht)).status_code == 403
    other = client.get(api, headers=_bearer(w.coordinator2))
    assert other.status_code == 404
    assert other.mimetype == "application/problem+json"
    assert _pdf_events(case.id) == []


def test_admin_with_a_scope_may_download(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    factories.user("admin", email="admin-swv@example.nl", swvs=("PO 27-01",))
    db.session.commit()
    auth.login("admin-swv@example.nl")
    assert client.get(f"/casussen/{case.id}/samenvatting.pdf").status_code == 200


def test_timeline_names_changed_fields_but_never_personal_values(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock, first_name="Lucas")
    services.update_case(case, {"first_name": "Łukasz"}, expected_version=case.version, actor=w.coordinator,
                         today=clock.today())
    services.close_case(case, outcome="terug_naar_school", offer_started_on=date(2026, 11, 2),
                        school_brin="07NU00", note=None, expected_version=case.version, actor=w.coordinator,
                        today=clock.today())
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{case.id}").status_code == 200  # a read: logged, but not history

    text, _ = _text(client.get(f"/casussen/{case.id}/samenvatting.pdf").data)

    assert "Casusgegevens gewijzigd (Voornaam)" in text
    assert "Lucas" not in text and "…" not in text
    assert "Casus gesloten" in text and "Terug naar school" in text
    assert "Gesloten" in text
    assert "case.read" not in text and "Casus geopend" not in text
    assert text.count("Casus geregistreerd") == 1


def test_open_alerts_are_listed(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    db.session.add(Alert(case_id=case.id, kind="overdue", due_on=date(2026, 12, 2), created_at=now_utc()))
    db.session.add(Alert(case_id=case.id, kind="stale", due_on=date(2026, 10, 1), created_at=now_utc(),
                         status="acknowledged"))
    db.session.commit()
    auth.login("coord1@example.nl")
    text, _ = _text(client.get(f"/casussen/{case.id}/samenvatting.pdf").data)
    assert "Terugkeerdoel niet gehaald" in text and "02-12-2026" in text
    assert "Geen activiteit op de casus" not in text


def test_a_case_with_300_events_renders_on_several_pages_and_page_one_renders_to_png(
        app, auth, client, clock, tmp_path):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    for index in range(300):
        record("case.update", actor_id=w.coordinator.id, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id,
               object_type="case", object_id=case.id,
               changes={"note": ["…", "…"], "version": [index, index + 1]})
    db.session.commit()
    auth.login("coord1@example.nl")

    response = client.get(f"/casussen/{case.id}/samenvatting.pdf")

    assert response.status_code == 200
    text, pages = _text(response.data)
    assert pages >= 5
    assert f"Pagina {pages} van {pages}" in text
    assert text.count("Casusgegevens gewijzigd (Notitie)") == 300
    document = pdfium.PdfDocument(response.data)
    try:
        image = document[0].render(scale=1).to_pil()
    finally:
        document.close()
    png = tmp_path / "pagina-1.png"
    image.save(png)
    assert png.read_bytes().startswith(b"\x89PNG")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    assert image.convert("L").getextrema()[0] < 100  # not a blank page


def _count_queries(callable_):
    with counted_queries() as statements:
        callable_()
    return len(data_queries(statements))


def test_the_summary_loads_in_a_constant_number_of_queries(app, clock):
    w = _world_with_school()
    small = _case_through_services(w, clock)
    large = _case_through_services(w, clock)
    for index in range(40):
        record("case.update", actor_id=w.leerplicht.id if index % 2 else w.coordinator.id,
               activity=ACTIVITY_CASE_MANAGEMENT, case_id=large.id, object_type="case", object_id=large.id,
               changes={"note": ["…", "…"]})
    for index in range(3):
        factories.user("leerplicht", email=f"lp-extra{index}@example.nl", gemeenten=("GM0363",))
    db.session.commit()

    def summarise(case_id: int):
        def run():
            db.session.expire_all()
            case = db.session.get(Case, case_id)
            summary_for_case(case, generated_by=w.coordinator, today=clock.today(), now=now_utc())
        return run

    assert _count_queries(summarise(small.id)) == _count_queries(summarise(large.id))


def test_the_summary_endpoint_is_documented_as_a_pdf(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/cases/{caseId}/summary"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert {"401", "403", "404"} <= set(operation["responses"])


def test_case_page_offers_the_pdf_to_coordinators_only(app, client, auth):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    auth.login("coord1@example.nl")
    assert f"/casussen/{case.id}/samenvatting.pdf" in client.get(f"/casussen/{case.id}").get_data(as_text=True)
    auth.logout()
    auth.login("lp1@example.nl")
    assert "samenvatting.pdf" not in client.get(f"/casussen/{case.id}").get_data(as_text=True)


def test_every_demo_case_has_a_summary_for_its_coordinator(app, runner, client):
    """The demo data held a case whose summary crashed (a timeline row pushed to the next page was drawn
    from a line breaking reportlab had dropped); every case of the demo coordinators must download."""
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    coordinators = db.session.scalars(select(User).where(User.role == "coordinator").order_by(User.id)).all()
    downloaded = 0
    for coordinator in coordinators:
        headers = _bearer(coordinator)
        cases = db.session.scalars(select(Case).where(Case.swv_id.in_(coordinator.swv_ids))).all()
        for case in cases:
            response = client.get(f"/api/v1/cases/{case.id}/summary", headers=headers)
            assert response.status_code == 200, case.reference
            assert response.data.startswith(b"%PDF-")
            downloaded += 1
    # 60 cases, a signal, an exemption and a pupil who moved (issue 16), a case with a plan and an MDO (issue 19)
    assert downloaded == 64


def test_the_downloaded_file_is_dated_by_the_app_clock_and_has_a_bookmark_per_section(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    clock.set_today(date(2027, 1, 4))  # a pinned day far from the real one
    auth.login("coord1@example.nl")

    pdf = client.get(f"/casussen/{case.id}/samenvatting.pdf").data

    assert_qpdf_clean(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.creation_date.astimezone(AMSTERDAM).date() == date(2027, 1, 4)
    assert reader.metadata.modification_date == reader.metadata.creation_date
    assert reader.metadata.title == f"Casusoverzicht {case.reference}"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert [entry.title for entry in reader.outline] == [
        "Leerling", "Status", "Escalatieketen", "Plan van aanpak", "Overleggen (MDO)", "Tijdlijn",
        "Betrokkenen", "Netwerk van de leerling", "Openstaande signalen", "Volgende stappen"]
