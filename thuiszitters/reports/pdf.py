"""The case summary as a PDF ("casusoverzicht"), drawn from the summary document (`document.py`).

Coordinators send this file to the onderwijsconsulent, the Geschillencommissie passend onderwijs or the
Interventieteam, so it is a confidential document for third parties: A4, Dutch, the BSN masked, and every
piece of user text escaped before it reaches reportlab's paragraph markup.

What this file does for a reader who cannot see it (docs/accessibility.md): real text in an embedded font
(DejaVu Sans, no text in images), one flow read top to bottom, the document language (nl-NL) and title in the
catalog, and a bookmark per section, shown when the file opens. ReportLab (4.4, open source) cannot write a
tagged PDF (no structure tree, no marked content), so the file does not claim to be one; the accessible form of
the same summary is the HTML print view.

This module knows nothing of Flask or the database. `build_case_summary` takes a `CaseSummary` and returns the
PDF bytes; the same summary gives the same bytes, because every date in the file is the summary's
`generated_at` (from the app's clock) and reportlab runs in its invariant mode.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
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

from thuiszitters.reports.document import (
    Block,
    Empty,
    Facts,
    Grid,
    Items,
    Section,
    SummaryDocument,
    Value,
    clean,
    summary_document,
)
from thuiszitters.reports.model import CaseSummary
from thuiszitters.text import AMSTERDAM

LANGUAGE = "nl-NL"
CREATOR = "Thuiszitters"

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


@dataclass(frozen=True)
class _GridLayout:
    """How the PDF draws a section's table: relative column widths, which columns hold only short fixed texts
    (dates, yes/no: drawn as plain strings, without paragraph layout), and whether a row may split over pages."""

    widths: tuple[float, ...]
    plain: frozenset[int] = frozenset()
    split_in_row: bool = False


# Per section key (document.SECTION_TITLES). Wide enough that the longest step label and outcome word
# ("Toelaatbaarheidsverklaring") never break; a note longer than a page may split inside its timeline row.
GRID_LAYOUTS = {
    "escalatieketen": _GridLayout((0.225, 0.21, 0.225, 0.24, 0.10), plain=frozenset({4})),
    "tijdlijn": _GridLayout((0.17, 0.21, 0.62), plain=frozenset({0}), split_in_row=True),
    "betrokkenen": _GridLayout((0.22, 0.28, 0.5)),
    "signalen": _GridLayout((0.5, 0.2, 0.3), plain=frozenset({1})),
    "journaal": _GridLayout((0.13, 0.15, 0.14, 0.18, 0.40), plain=frozenset({0}), split_in_row=True),
}
# Sections that may run over several pages: they start where they are instead of moving whole to a new page.
LONG_SECTIONS = frozenset({"escalatieketen", "tijdlijn", "journaal"})


# --- Text helpers (pure) ---


def _markup(text: str) -> str:
    """User text made safe for reportlab's paragraph markup: escaped, line breaks kept."""
    return escape(clean(text)).replace("\n", "<br/>")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text drawn straight on the canvas (header) so it never runs off the page."""
    text = " ".join(clean(text).split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def pdf_date(summary: CaseSummary) -> str:
    """The summary's moment as a PDF date in Amsterdam time ("D:20261102143000+01'00'")."""
    moment = summary.generated_at.astimezone(AMSTERDAM)
    offset = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr] - aware by construction
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


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
    """Holds every finished page back until `save`, when the page count is known, then adds the footer.

    A bookmark names the page it is made on, and a held-back page is numbered only when it is written, so
    bookmarks are held back with their page and made when it is written.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # reportlab's name
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:  # reportlab's name
        self._held_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for page in self._held_pages:
            self.__dict__.update(page)
            for key, kwargs in self._page_bookmarks:
                Canvas.bookmarkPage(self, key, **kwargs)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawString(MARGIN_X, 10 * mm, "Vertrouwelijk")
        self.drawRightString(PAGE_WIDTH - MARGIN_X, 10 * mm, f"Pagina {self.getPageNumber()} van {total}")
        self.restoreState()


def _header_painter(document: SummaryDocument) -> Callable[[Canvas, BaseDocTemplate], None]:
    """The header of every page: case reference, "Vertrouwelijk", when and by whom it was generated."""
    confidential_width = pdfmetrics.stringWidth("Vertrouwelijk", FONT_BOLD, 10)
    reference = _fit(f"Casus {document.reference}", FONT_BOLD, 10, CONTENT_WIDTH - confidential_width - 8 * mm)
    generated = _fit(document.generated, FONT, 8, CONTENT_WIDTH)
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


def _value(value: Value, style: ParagraphStyle) -> Paragraph:
    if value.alert:
        return _Para(f"<b>{_markup(value.text)}</b>", _ensure_setup()["warning"])
    return _p(value.text, style)


class _Heading(Paragraph):
    """A section heading that bookmarks itself where it is drawn and adds its entry to the outline."""

    def __init__(self, section: Section) -> None:
        super().__init__(escape(section.title), _ensure_setup()["h2"])
        self.section = section

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.section.key, 0, self.height)
        self.canv.addOutlineEntry(self.section.title, self.section.key, level=0)
        super().draw()


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


def _grid(grid: Grid, layout: _GridLayout) -> Table:
    """A table whose header row repeats on every page it flows onto."""
    styles = _ensure_setup()
    small = styles["small"]
    head = [_Para(escape(h), styles["cell_head"]) for h in grid.headers]
    rows: list[list[Flowable | str]] = [
        [value.text if column in layout.plain else _value(value, small) for column, value in enumerate(row)]
        for row in grid.rows
    ]
    table = Table(
        [head, *rows],
        colWidths=[w * CONTENT_WIDTH for w in layout.widths],
        repeatRows=1,
        splitInRow=1 if layout.split_in_row else 0,
        hAlign="LEFT",
    )
    table.setStyle(_grid_style(header=True))
    return table


def _facts(facts: Facts) -> Table:
    styles = _ensure_setup()
    rows = [[_Para(escape(label), styles["label"]), _value(value, styles["body"])] for label, value in facts.rows]
    # A long note may split inside its row rather than fail the document.
    table = Table(rows, colWidths=[0.32 * CONTENT_WIDTH, 0.68 * CONTENT_WIDTH], hAlign="LEFT", splitInRow=1)
    table.setStyle(_grid_style(header=False))
    return table


def _items(items: Items) -> list[Flowable]:
    styles = _ensure_setup()
    if not items.ordered:
        style = styles["warning"] if items.alert else styles["body"]
        head = [Spacer(1, 2 * mm), Paragraph(f"<b>{escape(items.title)}</b>", style)] if items.title else []
        return [*head, *(_p(f"• {item}", style) for item in items.items)]
    rows = [[f"{index}.", _p(item, styles["body"])] for index, item in enumerate(items.items, start=1)]
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
    return [table]


def _block(block: Block, section: Section) -> list[Flowable]:
    if isinstance(block, Facts):
        return [_facts(block)]
    if isinstance(block, Grid):
        layout = GRID_LAYOUTS.get(section.key) or _GridLayout((1 / len(block.headers),) * len(block.headers))
        return [_grid(block, layout)]
    if isinstance(block, Items):
        return _items(block)
    return [Paragraph(escape(block.text), _ensure_setup()["empty"])]


def _section(section: Section) -> list[Flowable]:
    """A heading that never ends up alone at the bottom of a page.

    A short block moves to the next page as a whole. A long one (chain, timeline) starts where it is, provided
    the heading, the table header and a few rows fit; `KeepTogether` would push it to a fresh page and leave a
    half-empty one behind.
    """
    content = [flowable for block in section.blocks for flowable in _block(block, section)]
    if section.key in LONG_SECTIONS and not isinstance(section.blocks[0], Empty):
        return [CondPageBreak(40 * mm), _Heading(section), *content]
    return [KeepTogether([_Heading(section), *content])]


# --- The builder ---


class _SummaryDocTemplate(BaseDocTemplate):
    """Sets what reportlab takes from the real clock or leaves open, before the first page is drawn."""

    def __init__(self, buffer: BytesIO, summary: CaseSummary, **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self._created = pdf_date(summary)
        # The file identifier: a digest of what the file shows, so two different summaries never share one
        # (reportlab's invariant mode alone gives every file the same).
        self._fingerprint = hashlib.sha256(repr(summary).encode("utf-8", "surrogatepass")).hexdigest()

    def beforeDocument(self) -> None:
        created = self._created
        self.canv.setDateFormatter(lambda *_real_clock: created)  # CreationDate and ModDate
        self.canv._doc.updateSignature(self._fingerprint)
        self.canv.showOutline()  # open with the bookmarks panel


def build_case_summary(summary: CaseSummary) -> bytes:
    """Render the case summary as an A4 PDF and return its bytes; the same summary gives the same bytes."""
    _ensure_setup()
    document = summary_document(summary)
    buffer = BytesIO()
    doc = _SummaryDocTemplate(
        buffer,
        summary,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        # The case reference, never the pupil's name: viewers, mail clients and document systems show these
        # without opening the file. The author is the professional who made it, as on every page.
        title=document.title,
        author=clean(summary.generated_by),
        subject=f"Vertrouwelijk casusoverzicht thuiszitter, casus {document.reference}",
        creator=CREATOR,
        keywords=["thuiszitter", "casusoverzicht", "vertrouwelijk"],
        lang=LANGUAGE,
        displayDocTitle=True,
        invariant=1,
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
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_header_painter(document))])

    styles = _ensure_setup()
    story: list[Flowable] = [
        _p(document.title, styles["title"]),
        _p(document.subtitle, styles["subtitle"]),
        *(flowable for section in document.sections for flowable in _section(section)),
    ]
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
