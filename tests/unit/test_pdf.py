"""The PDF case summary: what a consulent, the GPO or the interventieteam sees when they open the file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pypdf
import pypdfium2 as pdfium
import pytest

from thuiszitters.reports.model import (
    CaseSummary,
    SummaryAlert,
    SummaryEvent,
    SummaryParty,
    SummaryPupil,
    SummaryStep,
)
from thuiszitters.reports.pdf import build_case_summary

FIRST_EVENT_AT = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def make_events(count: int, note: str = "gesprek met ouders en school") -> list[SummaryEvent]:
    return [
        SummaryEvent(
            at=FIRST_EVENT_AT + timedelta(days=index, hours=index % 6),
            actor="Őrs Ærøe",
            description=f"Gebeurtenis {index:03d}: {note}",
        )
        for index in range(count)
    ]


def make_summary(
    *,
    reference: str = "TZ-2025-0042",
    first_name: str = "Łukasz",
    last_name: str = "Şahin",
    bsn: str | None = "111222333",
    coordinator: str = "Őrs Ærøe",
    events: list[SummaryEvent] | None = None,
    open_alerts: list[SummaryAlert] | None = None,
    next_steps: list[str] | None = None,
    overdue: bool = True,
    goal_met: bool | None = None,
    outcome_label: str | None = None,
    offer_started_on: date | None = None,
    generated_at: datetime = datetime(2025, 12, 5, 13, 30, tzinfo=UTC),
) -> CaseSummary:
    return CaseSummary(
        reference=reference,
        status_label="Open",
        absence_kind_label="Absoluut verzuim",
        out_of_school_since=date(2025, 9, 1),
        return_deadline=date(2025, 12, 1),
        days_out_of_school=95,
        overdue=overdue,
        goal_met=goal_met,
        outcome_label=outcome_label,
        offer_started_on=offer_started_on,
        pupil=SummaryPupil(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date(2012, 3, 4),
            bsn=bsn,
            gemeente="Amsterdam",
        ),
        steps=[
            SummaryStep(
                kind_label="Aanmelding",
                dates=[("Ontvangen", "01-09-2025"), ("Besluit", "10-10-2025")],
                terms=[("Besluittermijn", "13-10-2025")],
                outcome="Afgewezen",
                done=True,
            ),
            SummaryStep(
                kind_label="Inzet swv",
                dates=[("Gestart", "15-10-2025")],
                terms=[],
                outcome="",
                done=False,
            ),
        ],
        events=make_events(5) if events is None else events,
        parties=[
            SummaryParty(role="Coördinator", name=coordinator, detail="swv PO 20-01"),
            SummaryParty(role="Leerplicht", name="J. de Vries", detail="Gemeente Amsterdam"),
            SummaryParty(role="School", name="OBS De Regenboog", detail="07NU00"),
        ],
        open_alerts=(
            [SummaryAlert(kind_label="Termijn overschreden", due_on=date(2025, 12, 2), status_label="Open")]
            if open_alerts is None
            else open_alerts
        ),
        next_steps=["Onderwijsconsulent inschakelen"] if next_steps is None else next_steps,
        warnings=["Stap buiten volgorde vastgelegd"],
        generated_by=coordinator,
        generated_at=generated_at,
    )


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with whitespace collapsed, so wrapped lines read as one sentence."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_summary_shows_the_case_with_every_diacritic_and_page_numbers() -> None:
    pdf = build_case_summary(make_summary(events=make_events(60)))

    pages = page_texts(pdf)
    text = " ".join(pages)
    total = len(pages)
    assert pdf.startswith(b"%PDF-")
    assert total > 1
    assert "TZ-2025-0042" in pages[0]
    assert "Vertrouwelijk" in pages[0]
    assert "Gegenereerd op 05-12-2025 14:30 door Őrs Ærøe" in pages[0]
    assert "Łukasz Şahin" in text
    assert "Őrs Ærøe" in text
    for heading in (
        "Leerling",
        "Uit school sinds",
        "Terugkeerdatum (doel)",
        "Dagen thuis",
        "Escalatieketen",
        "Tijdlijn",
        "Betrokkenen",
        "Openstaande signalen",
        "Volgende stappen",
    ):
        assert heading in text
    assert f"Pagina 1 van {total}" in pages[0]
    assert f"Pagina {total} van {total}" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {total}" in page
        assert "TZ-2025-0042" in page, "the header repeats on every page"


def test_status_block_shows_deadline_and_outcome() -> None:
    summary = make_summary(
        overdue=False,
        goal_met=True,
        outcome_label="Terug naar school",
        offer_started_on=date(2025, 11, 24),
    )

    text = " ".join(page_texts(build_case_summary(summary)))

    assert "Uit school sinds 01-09-2025" in text
    assert "Terugkeerdatum (doel) 01-12-2025" in text
    assert "Dagen thuis 95" in text
    assert "Over de termijn Nee" in text
    assert "Doel gehaald Ja" in text
    assert "Uitkomst Terug naar school" in text
    assert "Passend aanbod gestart op 24-11-2025" in text


def test_bsn_is_masked_for_third_parties() -> None:
    text = " ".join(page_texts(build_case_summary(make_summary(bsn="111222333"))))
    assert "******333" in text
    assert "111222333" not in text

    without_bsn = " ".join(page_texts(build_case_summary(make_summary(bsn=None))))
    assert "BSN niet vastgelegd" in without_bsn


def test_markup_in_user_text_is_shown_literally() -> None:
    note = "<b>x</b> & <script>"
    summary = make_summary(
        first_name="Jan <i>",
        last_name="& Zn",
        coordinator="A <b>B</b>",
        events=make_events(3, note=note),
        next_steps=["Bel <school> & ouders"],
    )

    text = " ".join(page_texts(build_case_summary(summary)))

    assert f"Gebeurtenis 000: {note}" in text
    assert "Jan <i> & Zn" in text
    assert "door A <b>B</b>" in text
    assert "Bel <school> & ouders" in text


def test_300_events_flow_over_pages_with_the_table_header_repeated() -> None:
    events = make_events(300)

    pages = page_texts(build_case_summary(make_summary(events=events)))

    text = " ".join(pages)
    assert len(pages) >= 5
    for event in events:
        assert event.description in text
    pages_with_events = [page for page in pages if "Gebeurtenis 1" in page or "Gebeurtenis 2" in page]
    assert len(pages_with_events) >= 3
    for page in pages_with_events:
        assert "Datum en tijd Door Gebeurtenis" in page


def test_timeline_is_in_amsterdam_time_and_chronological() -> None:
    summer = SummaryEvent(datetime(2025, 7, 1, 8, 0, tzinfo=UTC), "Coördinator", "Zomergesprek")
    winter = SummaryEvent(datetime(2025, 12, 1, 8, 0, tzinfo=UTC), "Coördinator", "Wintergesprek")

    text = " ".join(page_texts(build_case_summary(make_summary(events=[winter, summer]))))

    assert "01-07-2025 10:00 Coördinator Zomergesprek" in text
    assert "01-12-2025 09:00 Coördinator Wintergesprek" in text
    assert text.index("Zomergesprek") < text.index("Wintergesprek")


def test_a_note_longer_than_a_page_is_split_not_refused() -> None:
    long_note = " ".join(["Uitgebreid verslag van het overleg met ouders, school en jeugdhulp."] * 500)
    event = SummaryEvent(FIRST_EVENT_AT, "Őrs Ærøe", f"{long_note} EINDE VERSLAG")

    pages = page_texts(build_case_summary(make_summary(events=[event])))

    assert len(pages) >= 3
    assert "EINDE VERSLAG" in " ".join(pages)


def test_empty_sections_say_so() -> None:
    summary = make_summary(events=[], open_alerts=[], next_steps=[])

    text = " ".join(page_texts(build_case_summary(summary)))

    assert "Geen gebeurtenissen vastgelegd." in text
    assert "Geen openstaande signalen." in text
    assert "Geen volgende stappen vastgelegd." in text


def test_metadata_names_the_case_the_author_and_the_language() -> None:
    reader = pypdf.PdfReader(io.BytesIO(build_case_summary(make_summary())))

    assert reader.metadata is not None
    assert reader.metadata.title == "Casusoverzicht TZ-2025-0042"
    assert reader.metadata.author == "Őrs Ærøe"
    assert "TZ-2025-0042" in (reader.metadata.subject or "")
    assert reader.metadata.creator == "Thuiszitters"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a PDF boolean object
    # What a file list or a document system shows without opening the file names no pupil.
    for value in (reader.metadata.title, reader.metadata.subject, reader.metadata.get("/Keywords")):
        assert "Łukasz" not in value and "Şahin" not in value and "333" not in value


def test_font_is_embedded_so_names_render_everywhere() -> None:
    reader = pypdf.PdfReader(io.BytesIO(build_case_summary(make_summary())))

    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            assert "DejaVuSans" in str(font["/BaseFont"]), "no fallback to a non-embedded standard font"
            assert "/FontFile2" in font["/FontDescriptor"], "the TrueType font travels with the file"


def test_the_same_summary_gives_the_same_bytes_and_another_summary_another_file_id() -> None:
    summary = make_summary(events=make_events(40))
    later = make_summary(events=make_events(40), generated_at=datetime(2025, 12, 5, 13, 31, tzinfo=UTC))

    first = build_case_summary(summary)

    assert build_case_summary(summary) == first
    file_id = pypdf.PdfReader(io.BytesIO(first)).trailer["/ID"][0]
    assert pypdf.PdfReader(io.BytesIO(build_case_summary(later))).trailer["/ID"][0] != file_id


def test_creation_and_modification_date_are_the_moment_of_the_summary_in_amsterdam() -> None:
    winter = pypdf.PdfReader(io.BytesIO(build_case_summary(make_summary(
        generated_at=datetime(2025, 12, 5, 23, 30, tzinfo=UTC)))))
    summer = pypdf.PdfReader(io.BytesIO(build_case_summary(make_summary(
        generated_at=datetime(2026, 7, 1, 8, 15, 9, tzinfo=UTC)))))

    assert winter.metadata["/CreationDate"] == "D:20251206003000+01'00'"  # already the next day in Amsterdam
    assert winter.metadata.creation_date == datetime(2025, 12, 5, 23, 30, tzinfo=UTC)
    assert winter.metadata.modification_date == winter.metadata.creation_date
    assert summer.metadata["/CreationDate"] == "D:20260701101509+02'00'"


SECTIONS = ["Leerling", "Status", "Escalatieketen", "Plan van aanpak", "Overleggen (MDO)", "Tijdlijn",
            "Betrokkenen", "Netwerk van de leerling", "Openstaande signalen", "Volgende stappen"]


def test_every_section_has_a_bookmark_to_its_page_and_the_outline_shows_on_opening() -> None:
    pdf = build_case_summary(make_summary(events=make_events(120)))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = page_texts(pdf)

    assert [entry.title for entry in reader.outline] == SECTIONS
    for entry in reader.outline:
        number = reader.get_destination_page_number(entry)
        assert entry.title in pages[number], f"{entry.title} is not on page {number + 1}"
    landing = {entry.title: reader.get_destination_page_number(entry) for entry in reader.outline}
    assert landing["Leerling"] == 0 and landing["Betrokkenen"] > 0, "120 events push the later sections on"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_the_text_reads_in_one_flow_from_header_to_footer() -> None:
    pages = page_texts(build_case_summary(make_summary(events=make_events(3))))

    for number, page in enumerate(pages, start=1):
        assert page.startswith("Casus TZ-2025-0042 Vertrouwelijk Gegenereerd op"), "the header is read first"
        assert page.endswith(f"Vertrouwelijk Pagina {number} van {len(pages)}"), "the footer is read last"
    text = " ".join(pages)
    order = ["Casusoverzicht TZ-2025-0042", "Łukasz Şahin ·", *SECTIONS, "Onderwijsconsulent inschakelen"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    assert text.index("Gebeurtenis 000") < text.index("Gebeurtenis 001") < text.index("Gebeurtenis 002")


def test_all_text_is_real_text_and_the_file_claims_no_tags_it_does_not_have() -> None:
    reader = pypdf.PdfReader(io.BytesIO(build_case_summary(make_summary())))

    for page in reader.pages:
        objects = page["/Resources"].get("/XObject", {})
        assert not [name for name, ref in objects.items() if ref.get_object().get("/Subtype") == "/Image"]
    root = reader.trailer["/Root"]
    # ReportLab cannot write a structure tree; a file that said it was tagged without one would mislead a reader.
    assert "/StructTreeRoot" not in root
    assert not root.get("/MarkInfo", {}).get("/Marked", False)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_case_summary(make_summary(generated_at=datetime(2025, 12, 5, 13, 30)))


def test_first_page_renders_to_a_non_blank_png(tmp_path) -> None:
    document = pdfium.PdfDocument(build_case_summary(make_summary(events=make_events(30))))
    try:
        image = document[0].render(scale=1).to_pil()
    finally:
        document.close()
    target = tmp_path / "casusoverzicht-pagina-1.png"

    image.save(target)

    assert target.stat().st_size > 0
    assert image.width < image.height, "A4 portrait"
    histogram = image.convert("L").histogram()
    ink = sum(histogram[:200])
    assert ink > 2_000, "the page shows text, not a blank sheet"
