"""Every summary renders: random summaries (long text, very long words, any script, many rows) always give a
valid PDF, and a paragraph that a page break pushes on is laid out again rather than drawn from a stale cache."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pypdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from tests.helpers import assert_qpdf_clean
from thuiszitters.reports.model import (
    CaseSummary,
    SummaryAlert,
    SummaryEvent,
    SummaryParty,
    SummaryPupil,
    SummaryStep,
)
from thuiszitters.reports.pdf import _ensure_setup, _p, build_case_summary

# Any character a browser or a JSON body can carry (lone surrogates cannot be encoded, so they are left out).
CHARS = st.characters(blacklist_categories=("Cs",))
SCRIPTS = st.sampled_from([
    "Łukasz Şahin-Ærøe", "محمد العلي", "Ἀλέξανδρος", "王小明", "Ñuñez-Gómez", "Zoë van 't Hek", "👩🏽‍🏫 juf",
    "e\u0301\u0301\u0301", "ﷺ", "\u00a0\u2003",
])
WORD = st.text(CHARS, min_size=1, max_size=30)
# One "word" far wider than any column: a pasted URL, a file name, a row of dashes.
LONG_WORD = st.text(st.one_of(CHARS, st.sampled_from("-_/=")), min_size=80, max_size=1500)
PROSE = st.lists(st.one_of(WORD, SCRIPTS, st.just("\n"), st.just("\r\n\r\n")), max_size=400).map(" ".join)
TEXT = st.one_of(st.text(CHARS, max_size=60), SCRIPTS, LONG_WORD, PROSE)
SHORT = st.one_of(st.text(CHARS, min_size=1, max_size=40), SCRIPTS, LONG_WORD)
DATES = st.dates(date(1990, 1, 1), date(2035, 12, 31))
DATE_TEXT = DATES.map(lambda d: d.strftime("%d-%m-%Y"))
MOMENTS = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))

STEPS = st.builds(
    SummaryStep,
    kind_label=st.sampled_from(["Schriftelijke aanmelding", "Inzet samenwerkingsverband",
                                "Onderwijs(zorg)consulent", "Geschillencommissie passend onderwijs",
                                "Interventieteam"]),
    dates=st.lists(st.tuples(st.sampled_from(["Ontvangen", "Besluit op", "Gestart", "Ingediend"]), DATE_TEXT),
                   max_size=5),
    terms=st.lists(st.tuples(st.sampled_from(["Besluit uiterlijk", "Oordeel verwacht"]), DATE_TEXT), max_size=3),
    outcome=TEXT,
    done=st.booleans(),
)
SUMMARIES = st.builds(
    CaseSummary,
    reference=st.from_regex(r"TZ-20[0-9]{2}-[A-Z0-9]{5}", fullmatch=True),
    status_label=st.sampled_from(["Open", "Gesloten"]),
    absence_kind_label=st.sampled_from(["Absoluut verzuim", "Relatief verzuim", "Vrijstelling (artikel 5a)"]),
    out_of_school_since=DATES,
    return_deadline=DATES,
    days_out_of_school=st.integers(0, 20_000),
    overdue=st.booleans(),
    goal_met=st.one_of(st.none(), st.booleans()),
    outcome_label=st.one_of(st.none(), st.sampled_from(["Terug naar school", "Overig"])),
    offer_started_on=st.one_of(st.none(), DATES),
    pupil=st.builds(SummaryPupil, first_name=SHORT, last_name=SHORT, date_of_birth=DATES,
                    bsn=st.one_of(st.none(), st.from_regex(r"[0-9]{9}", fullmatch=True)), gemeente=SHORT),
    steps=st.lists(STEPS, max_size=40),
    events=st.lists(st.builds(SummaryEvent, at=MOMENTS, actor=SHORT, description=TEXT), max_size=80),
    parties=st.lists(st.builds(SummaryParty, role=SHORT, name=SHORT, detail=TEXT), max_size=12),
    open_alerts=st.lists(st.builds(SummaryAlert, kind_label=SHORT, due_on=DATES, status_label=SHORT), max_size=12),
    next_steps=st.lists(TEXT, max_size=8),
    warnings=st.lists(TEXT, max_size=8),
    generated_by=SHORT,
    generated_at=MOMENTS,
    note=st.one_of(st.none(), TEXT),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(summary=SUMMARIES)
def test_every_summary_renders_as_a_valid_pdf(summary: CaseSummary) -> None:
    pdf = build_case_summary(summary)

    assert_qpdf_clean(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"Pagina {total} van {total}" in last


def test_a_paragraph_pushed_to_the_next_page_is_laid_out_again() -> None:
    """A table row that does not fit asks its paragraphs to split; when one cannot (too little room for two
    lines), reportlab drops its line breaking and moves it whole to the next page, where it must be drawn."""
    paragraph = _p("Gesprek met ouders en school over een passende plek " * 6, _ensure_setup()["small"])
    width, height = paragraph.wrap(200, 800)
    assert height > 30

    assert paragraph.split(200, 12) == []  # room for one line only: nothing of it stays on this page

    assert paragraph.wrap(200, 800) == (width, height)
    canvas = Canvas(io.BytesIO())
    paragraph.drawOn(canvas, 0, 0)
    canvas.save()


def _demo_case_six() -> CaseSummary:
    """The demo's case 6 as it crashed the summary: its timeline row lands at a page foot."""
    at = datetime(2026, 12, 1, 13, 48, 16, tzinfo=UTC)
    actor = "Victor Voortgezet"
    return CaseSummary(
        reference="TZ-2026-USEXS", status_label="Open", absence_kind_label="Relatief verzuim",
        out_of_school_since=date(2026, 9, 10), return_deadline=date(2026, 12, 3), days_out_of_school=82,
        overdue=False, goal_met=None, outcome_label=None, offer_started_on=None,
        pupil=SummaryPupil("Daan", "de Vries", date(2011, 5, 4), "123456782", "Landsmeer"),
        steps=[
            SummaryStep("Schriftelijke aanmelding", [("Ontvangen", "13-09-2026"), ("Besluit op", "13-10-2026")],
                        [("Besluit uiterlijk", "25-10-2026")], "School: VSO Alphons Laudy (28GY00)\nAfgewezen",
                        True),
            SummaryStep("Inzet samenwerkingsverband", [("Gestart", "20-09-2026"), ("Afgerond", "25-10-2026")], [],
                        "Arrangement\nVerkenning arrangement met school en ouders.", True),
            SummaryStep("Onderwijs(zorg)consulent", [("Aangevraagd", "26-10-2026"), ("Advies", "16-11-2026")], [],
                        "Onderwijsconsulent\nToestemming ouders: ja", True),
            SummaryStep("Geschillencommissie passend onderwijs",
                        [("Besluit school", "13-10-2026"), ("Ingediend", "02-11-2026")],
                        [("Indienen uiterlijk", "24-11-2026"), ("Oordeel verwacht", "11-01-2027")],
                        "Onderwerp: Toelating", False),
        ],
        events=[
            SummaryEvent(at, actor, "Casus geregistreerd"),
            SummaryEvent(at + timedelta(seconds=1), actor,
                         "Stap vastgelegd: Schriftelijke aanmelding (School: 28GY00; Datum ontvangst aanmelding: "
                         "13-09-2026; Besluit van de school: Afgewezen; Besluitdatum: 13-10-2026)"),
            SummaryEvent(at + timedelta(seconds=2), actor,
                         "Stap vastgelegd: Inzet samenwerkingsverband (Startdatum: 20-09-2026; Actie van het "
                         "samenwerkingsverband: Arrangement; Einddatum: 25-10-2026)"),
            SummaryEvent(at + timedelta(seconds=3), actor,
                         "Stap vastgelegd: Onderwijs(zorg)consulent (Soort consulent: Onderwijsconsulent; "
                         "Toestemming van de ouders: ja; Aanvraagdatum: 26-10-2026; Adviesdatum: 16-11-2026)"),
            SummaryEvent(at + timedelta(seconds=4), actor,
                         "Stap vastgelegd: Geschillencommissie passend onderwijs (Onderwerp van het geschil: "
                         "Toelating; Datum besluit van de school: 13-10-2026; Datum indienen verzoek: 02-11-2026)"),
        ],
        parties=[
            SummaryParty("Coördinator", actor, "Samenwerkingsverband VO Amsterdam-Diemen (VO 27-01) · "
                         "coordinator.vo@demo.thuiszitters.nl"),
            SummaryParty("Leerplicht", "Ziggy Zaanstad", "Gemeente Landsmeer (GM0415) · "
                         "leerplicht.zaanstad@demo.thuiszitters.nl"),
            SummaryParty("School", "Praktijkcollege Zaanstad", "30JN00"),
            SummaryParty("Samenwerkingsverband", "Samenwerkingsverband VO Amsterdam-Diemen",
                         "VO 27-01 · vo2701@demo.nl"),
        ],
        open_alerts=[],
        next_steps=["Leg het oordeel van de Geschillencommissie passend onderwijs vast; dat wordt uiterlijk "
                    "11-01-2027 verwacht."],
        warnings=[],
        generated_by=actor,
        generated_at=at,
        note="Ouders willen graag een school dichter bij huis.",
    )


def test_the_demo_case_whose_timeline_row_meets_a_page_break_renders() -> None:
    pdf = build_case_summary(_demo_case_six())

    assert_qpdf_clean(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Datum indienen verzoek: 02-11-2026" in text
    assert "Pagina 2 van 2" in text
