"""The case summary as a PDF ("casusoverzicht"), built from plain data.

Coordinators send this file to the onderwijsconsulent, the Geschillencommissie passend onderwijs or the
Interventieteam, so it is a confidential document for third parties: A4, Dutch, the BSN masked, and every
piece of user text escaped before it reaches reportlab's paragraph markup.

This module knows nothing of Flask or the database. A service turns a case into a `CaseSummary` and calls
`build_case_summary`, which returns the PDF bytes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from thuiszitters.text import format_date_nl, format_local_datetime

LANGUAGE = "nl-NL"

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 30 * mm  # room for the header drawn on every page
MARGIN_BOTTOM = 20 * mm  # room for "Pagina x van y"
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e6e9ef")
ALERT = colors.HexColor("#a40000")


# --- The summary as plain data ---


@dataclass(frozen=True)
class SummaryPupil:
    first_name: str
    last_name: str
    date_of_birth: date
    bsn: str | None
    gemeente: str


@dataclass(frozen=True)
class SummaryStep:
    """One step of the escalation chain; `dates` and `terms` are (label, "dd-mm-yyyy") pairs."""

    kind_label: str
    dates: list[tuple[str, str]]
    terms: list[tuple[str, str]]
    outcome: str
    done: bool


@dataclass(frozen=True)
class SummaryEvent:
    """A timeline entry; `at` is an aware datetime (UTC in practice), shown in Europe/Amsterdam."""

    at: datetime
    actor: str
    description: str


@dataclass(frozen=True)
class SummaryAlert:
    kind_label: str
    due_on: date
    status_label: str


@dataclass(frozen=True)
class SummaryParty:
    role: str
    name: str
    detail: str


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    status_label: str
    absence_kind_label: str
    out_of_school_since: date
    return_deadline: date
    days_out_of_school: int
    overdue: bool
    goal_met: bool | None
    outcome_label: str | None
    offer_started_on: date | None
    pupil: SummaryPupil
    steps: list[SummaryStep]
    events: list[SummaryEvent]
    parties: list[SummaryParty]
    open_alerts: list[SummaryAlert]
    next_steps: list[str]
    warnings: list[str]
    generated_by: str
    generated_at: datetime
    # The coordinator's free-text note on the case, shown with the status.
    note: str | None = None


# --- Formatting helpers (pure) ---

# C0 control characters (other than tab and newline) have no glyph and only confuse readers of the file.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def mask_bsn(bsn: str | None) -> str:
    """The BSN with only its last three digits visible ("******123"); "niet vastgelegd" when there is none."""
    if bsn is None or not bsn.strip():
        return "niet vastgelegd"
    digits = "".join(bsn.split())
    if len(digits) <= 3:
        return "*" * len(digits)
    return "*" * (len(digits) - 3) + digits[-3:]


def format_date(value: date | None) -> str:
    return format_date_nl(value) if value is not None else "—"


def _yes_no(value: bool) -> str:
    return "Ja" if value else "Nee"


def _markup(text: str) -> str:
    """User text made safe for reportlab's paragraph markup: escaped, line breaks kept."""
    cleaned = _CONTROL_CHARS.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned).replace("\n", "<br/>")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text drawn straight on the canvas (header) so it never runs off the page."""
    text = _CONTROL_CHARS.sub("", " ".join(text.split()))
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


# --- Fonts and styles, set up once per process ---

_setup_lock = threading.Lock()
_styles: dict[str, ParagraphStyle] = {}


def _ensure_setup() -> dict[str, ParagraphStyle]:
    """Register DejaVu Sans (embedded as a subset, so every name renders) and build the paragraph styles."""
    if _styles:
        return _styles
    with _setup_lock:
        if _styles:
            return _styles
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
        styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
            "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD),
            "cell_head": ParagraphStyle("cell_head", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10),
            "title": ParagraphStyle(
                "title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=2 * mm
            ),
            "subtitle": ParagraphStyle("subtitle", parent=base, textColor=MUTED, spaceAfter=2 * mm),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=11.5,
                leading=14,
                spaceBefore=5 * mm,
                spaceAfter=2 * mm,
            ),
            "warning": ParagraphStyle("warning", parent=base, textColor=ALERT),
            "empty": ParagraphStyle("empty", parent=base, textColor=MUTED),
        }
        _styles.update(styles)
    return _styles


# --- Page furniture: header on every page, "Pagina x van y" once the total is known ---


class _NumberedCanvas(Canvas):
    """Holds every finished page back until `save`, when the page count is known, then adds the footer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for page in self._held_pages:
            self.__dict__.update(page)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, 10 * mm, f"Pagina {self.getPageNumber()} van {total}")
        self.drawString(MARGIN_X, 10 * mm, "Vertrouwelijk")
        self.restoreState()


def _header_painter(summary: CaseSummary) -> Callable[[Canvas, BaseDocTemplate], None]:
    """The header of every page: case reference, "Vertrouwelijk", when and by whom it was generated."""
    confidential_width = pdfmetrics.stringWidth("Vertrouwelijk", FONT_BOLD, 10)
    reference = _fit(f"Casus {summary.reference}", FONT_BOLD, 10, CONTENT_WIDTH - confidential_width - 8 * mm)
    generated = _fit(
        f"Gegenereerd op {format_local_datetime(summary.generated_at)} door {summary.generated_by}",
        FONT,
        8,
        CONTENT_WIDTH,
    )
    top = PAGE_HEIGHT - 12 * mm

    def paint(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(MARGIN_X, top, reference)
        canvas.setFillColor(ALERT)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, "Vertrouwelijk")
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN_X, top - 4.5 * mm, generated)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 7 * mm, PAGE_WIDTH - MARGIN_X, top - 7 * mm)
        canvas.restoreState()

    return paint


# --- Blocks ---


class _Para(Paragraph):
    """A Paragraph that remembers its last line breaking.

    A table wraps each cell several times (measuring, splitting over pages, drawing) at the same width; the
    result depends only on the width, so reusing it keeps long timelines fast.

    The line breaking itself lives in reportlab's `blPara`, and `split` throws it away when a paragraph cannot
    stay on the page (it then moves whole to the next one). So the cache holds only for the very layout it was
    made with: a split forgets it, and a layout that is gone or replaced is made again.
    """

    _wrapped_at: float | None = None
    _wrapped_size: tuple[float, float] = (0.0, 0.0)
    _wrapped_layout: object = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        layout = getattr(self, "blPara", None)
        if availWidth != self._wrapped_at or layout is None or layout is not self._wrapped_layout:
            self._wrapped_size = super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
            self._wrapped_layout = self.blPara
        return self._wrapped_size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        try:
            return super().split(availWidth, availHeight)
        finally:
            self._wrapped_at = None
            self._wrapped_layout = None


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text (escaped)."""
    return _Para(_markup(text), style)


def _grid_style(*, header: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        # Plain-string cells (dates, yes/no: never user text) are drawn directly, without paragraph markup.
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, INK),
        ]
    return TableStyle(commands)


def _data_table(
    headers: Sequence[str],
    rows: list[list[Flowable | str]],
    widths: Sequence[float],
    *,
    split_in_row: bool = False,
) -> Table:
    """A table whose header row repeats on every page it flows onto."""
    styles = _ensure_setup()
    head = [_Para(escape(h), styles["cell_head"]) for h in headers]
    table = Table(
        [head, *rows],
        colWidths=[w * CONTENT_WIDTH for w in widths],
        repeatRows=1,
        splitInRow=1 if split_in_row else 0,
        hAlign="LEFT",
    )
    table.setStyle(_grid_style(header=True))
    return table


def _key_values(pairs: Iterable[tuple[str, Flowable]]) -> Table:
    styles = _ensure_setup()
    rows = [[_Para(escape(label), styles["label"]), value] for label, value in pairs]
    # A long note may split inside its row rather than fail the document.
    table = Table(rows, colWidths=[0.32 * CONTENT_WIDTH, 0.68 * CONTENT_WIDTH], hAlign="LEFT", splitInRow=1)
    table.setStyle(_grid_style(header=False))
    return table


def _heading(text: str) -> Paragraph:
    return Paragraph(escape(text), _ensure_setup()["h2"])


def _section(title: str, *content: Flowable, long: bool = False) -> list[Flowable]:
    """A heading that never ends up alone at the bottom of a page.

    A short block moves to the next page as a whole. A long one (chain, timeline) starts where it is, provided
    the heading, the table header and a few rows fit; `KeepTogether` would push it to a fresh page and leave a
    half-empty one behind.
    """
    if long:
        return [CondPageBreak(40 * mm), _heading(title), *content]
    return [KeepTogether([_heading(title), *content])]


def _empty(text: str) -> Paragraph:
    return Paragraph(escape(text), _ensure_setup()["empty"])


def _title_block(summary: CaseSummary) -> list[Flowable]:
    styles = _ensure_setup()
    pupil = summary.pupil
    return [
        _p(f"Casusoverzicht {summary.reference}", styles["title"]),
        _p(
            f"{pupil.first_name} {pupil.last_name} · {summary.absence_kind_label} · {summary.status_label}",
            styles["subtitle"],
        ),
    ]


def _pupil_block(pupil: SummaryPupil) -> list[Flowable]:
    body = _ensure_setup()["body"]
    details = _key_values(
        [
            ("Naam", _p(f"{pupil.first_name} {pupil.last_name}", body)),
            ("Geboortedatum", _p(format_date(pupil.date_of_birth), body)),
            ("BSN", _p(mask_bsn(pupil.bsn), body)),
            ("Gemeente", _p(pupil.gemeente, body)),
        ]
    )
    return _section("Leerling", details)


def _status_block(summary: CaseSummary) -> list[Flowable]:
    styles = _ensure_setup()
    body = styles["body"]
    overdue = _Para("<b>Ja</b>", styles["warning"]) if summary.overdue else _Para("Nee", body)
    goal = "Nog niet bepaald" if summary.goal_met is None else _yes_no(summary.goal_met)
    pairs: list[tuple[str, Flowable]] = [
        ("Status", _p(summary.status_label, body)),
        ("Soort verzuim", _p(summary.absence_kind_label, body)),
        ("Uit school sinds", _p(format_date(summary.out_of_school_since), body)),
        ("Terugkeerdatum (doel)", _p(format_date(summary.return_deadline), body)),
        ("Dagen thuis", _p(str(summary.days_out_of_school), body)),
        ("Over de termijn", overdue),
        ("Doel gehaald", _p(goal, body)),
    ]
    if summary.outcome_label is not None:
        pairs.append(("Uitkomst", _p(summary.outcome_label, body)))
    if summary.offer_started_on is not None:
        pairs.append(("Passend aanbod gestart op", _p(format_date(summary.offer_started_on), body)))
    if summary.note:
        pairs.append(("Notitie", _p(summary.note, body)))
    content: list[Flowable] = [_key_values(pairs)]
    if summary.warnings:
        content.append(Spacer(1, 2 * mm))
        content.append(Paragraph("<b>Aandachtspunten</b>", styles["warning"]))
        content.extend(_p(f"• {warning}", styles["warning"]) for warning in summary.warnings)
    return _section("Status", *content)


def _pairs_markup(pairs: Sequence[tuple[str, str]]) -> str:
    return "<br/>".join(f"{_markup(label)}: {_markup(value)}" for label, value in pairs) or "—"


def _chain_block(steps: Sequence[SummaryStep]) -> list[Flowable]:
    small = _ensure_setup()["small"]
    if not steps:
        return _section("Escalatieketen", _empty("Nog geen stappen in de escalatieketen."))
    rows: list[list[Flowable | str]] = [
        [
            _p(step.kind_label, small),
            _Para(_pairs_markup(step.dates), small),
            _Para(_pairs_markup(step.terms), small),
            _p(step.outcome or "—", small),
            _yes_no(step.done),
        ]
        for step in steps
    ]
    headers = ("Stap", "Data", "Termijnen", "Uitkomst", "Afgerond")
    # Wide enough that the longest step label and outcome word ("Toelaatbaarheidsverklaring") never break.
    table = _data_table(headers, rows, (0.225, 0.21, 0.225, 0.24, 0.10))
    return _section("Escalatieketen", table, long=True)


def _timeline_block(events: Sequence[SummaryEvent]) -> list[Flowable]:
    small = _ensure_setup()["small"]
    if not events:
        return _section("Tijdlijn", _empty("Geen gebeurtenissen vastgelegd."))
    # Chronological, oldest first; ties keep the order they were given in.
    ordered = sorted(events, key=lambda event: event.at)
    rows: list[list[Flowable | str]] = [
        [format_local_datetime(event.at), _p(event.actor, small), _p(event.description, small)]
        for event in ordered
    ]
    # A note longer than a page may split inside its row instead of failing the whole document.
    table = _data_table(("Datum en tijd", "Door", "Gebeurtenis"), rows, (0.17, 0.21, 0.62), split_in_row=True)
    return _section("Tijdlijn", table, long=True)


def _parties_block(parties: Sequence[SummaryParty]) -> list[Flowable]:
    small = _ensure_setup()["small"]
    if not parties:
        return _section("Betrokkenen", _empty("Geen betrokkenen vastgelegd."))
    rows: list[list[Flowable | str]] = [
        [_p(party.role, small), _p(party.name, small), _p(party.detail or "—", small)] for party in parties
    ]
    return _section("Betrokkenen", _data_table(("Rol", "Naam", "Gegevens"), rows, (0.22, 0.28, 0.5)))


def _alerts_block(alerts: Sequence[SummaryAlert]) -> list[Flowable]:
    small = _ensure_setup()["small"]
    if not alerts:
        return _section("Openstaande signalen", _empty("Geen openstaande signalen."))
    rows: list[list[Flowable | str]] = [
        [_p(alert.kind_label, small), format_date(alert.due_on), _p(alert.status_label, small)]
        for alert in sorted(alerts, key=lambda alert: alert.due_on)
    ]
    table = _data_table(("Signaal", "Vervalt op", "Status"), rows, (0.5, 0.2, 0.3))
    return _section("Openstaande signalen", table)


def _next_steps_block(next_steps: Sequence[str]) -> list[Flowable]:
    body = _ensure_setup()["body"]
    if not next_steps:
        return _section("Volgende stappen", _empty("Geen volgende stappen vastgelegd."))
    rows = [[f"{index}.", _p(step, body)] for index, step in enumerate(next_steps, start=1)]
    table = Table(rows, colWidths=[8 * mm, CONTENT_WIDTH - 8 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("ALIGN", (0, 0), (0, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return _section("Volgende stappen", table)


# --- The builder ---


def build_case_summary(summary: CaseSummary, *, deterministic: bool = False) -> bytes:
    """Render the case summary as an A4 PDF and return its bytes.

    With `deterministic=True` the same input gives byte-identical output (reportlab's invariant mode: a fixed
    creation date and a document id derived from the content), which tests and caching rely on.
    """
    _ensure_setup()
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"Casusoverzicht {summary.reference}",
        author=summary.generated_by,
        subject=f"Vertrouwelijk casusoverzicht thuiszitter, casus {summary.reference}",
        creator="Thuiszitters",
        keywords=["thuiszitter", "casusoverzicht", "vertrouwelijk"],
        lang=LANGUAGE,
        displayDocTitle=True,
        invariant=1 if deterministic else 0,
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        id="content",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_header_painter(summary))])

    story: list[Flowable] = [
        *_title_block(summary),
        *_pupil_block(summary.pupil),
        *_status_block(summary),
        *_chain_block(summary.steps),
        *_timeline_block(summary.events),
        *_parties_block(summary.parties),
        *_alerts_block(summary.open_alerts),
        *_next_steps_block(summary.next_steps),
    ]
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
