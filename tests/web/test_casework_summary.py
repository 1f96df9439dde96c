"""The network and the journal in the case summary: the network by role and name always, contact details only when
asked for ("met contactgegevens"), the journal only when asked for; each choice logged with the download."""
from __future__ import annotations

import io
from datetime import date

import pypdf
from sqlalchemy import select

from tests import factories
from thuiszitters.audit.models import AuditEvent
from thuiszitters.extensions import db


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def _case(clock):
    clock.set_today(date(2026, 11, 2))
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    parent = factories.participant(case, w.coordinator, email="ouder@example.nl", phone="0612345678",
                                   consent_to_share=True)
    factories.participant(case, w.coordinator, role="school", name="De Regenboog", organisation="De Regenboog")
    factories.journal_entry(case, w.coordinator, occurred_on=date(2026, 10, 30), kind="telefoon",
                            summary="Moeder gebeld over de proefplaatsing.", participants=(parent,))
    db.session.commit()
    return w, case


def test_the_pdf_shows_the_network_without_contact_details_and_no_journal_by_default(app, auth, client, clock):
    _, case = _case(clock)
    auth.login("coord1@example.nl")
    text = _text(client.get(f"/casussen/{case.id}/samenvatting.pdf").data)
    assert "Netwerk van de leerling" in text and "Fatima el Amrani" in text and "Ouder of verzorger" in text
    assert text.index("Fatima el Amrani") < text.index("De Regenboog")  # by role, then name
    assert "ouder@example.nl" not in text and "06 12345678" not in text
    assert "Moeder gebeld" not in text and "Journaal" not in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.pdf"))
    assert event.changes == {"via": "web"}


def test_contact_details_and_the_journal_only_when_asked_for_and_logged(app, auth, client, clock):
    _, case = _case(clock)
    auth.login("coord1@example.nl")
    text = _text(client.get(f"/casussen/{case.id}/samenvatting.pdf?contactgegevens=ja&journaal=ja").data)
    assert "ouder@example.nl" in text and "06 12345678" in text
    assert "Journaal" in text and "Moeder gebeld over de proefplaatsing." in text
    page = client.get(f"/casussen/{case.id}/samenvatting?journaal=ja").get_data(as_text=True)
    assert "Moeder gebeld over de proefplaatsing." in page and "ouder@example.nl" not in page
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(("case.pdf", "case.summary.read")))
                                .order_by(AuditEvent.id)).all()
    assert [e.changes for e in events] == [{"via": "web", "contact_details": True, "journal": True},
                                           {"journal": True}]


def test_the_api_takes_the_same_choices(app, client, clock):
    w, case = _case(clock)
    token = factories.token(w.coordinator)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    text = _text(client.get(f"/api/v1/cases/{case.id}/summary?contactDetails=true", headers=headers).data)
    assert "ouder@example.nl" in text and "Moeder gebeld" not in text
    wrong = client.get(f"/api/v1/cases/{case.id}/summary?journal=ja&contactDetails=1", headers=headers)
    assert wrong.status_code == 400
    assert {p["name"] for p in wrong.get_json()["invalidParams"]} == {"journal", "contactDetails"}


def test_the_command_line_takes_the_same_choices(app, runner, clock, tmp_path):
    _, case = _case(clock)
    out = tmp_path / "overzicht.pdf"
    result = runner.invoke(args=["case", "pdf", case.reference, "--out", str(out), "--met-journaal"])
    assert result.exit_code == 0, result.output
    text = _text(out.read_bytes())
    assert "Moeder gebeld over de proefplaatsing." in text and "ouder@example.nl" not in text
