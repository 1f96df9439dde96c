"""Small accessible SVG charts, rendered on the server as strings.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; the page puts a
table with the same numbers next to it. No inline styles (the CSP forbids them): colours and fonts come from
classes in ``static/css/app.css``. Plain functions of plain data: no Flask, no database.

The charts fill the width of the page at any size without scaling their text: there is no ``viewBox``; across
the chart everything is placed in percentages of its width, down it in pixels, and the text keeps the page's own
font size (readable on a phone, never 7 px). Labels along the x axis carry classes that hide some of them on a
narrow screen, so they never overlap; the last one (the running month) always shows.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

# Bar charts: a label line above each bar, the value after it.
BAR_LABEL = 20
BAR_HEIGHT = 20
BAR_GAP = 14
BAR_SPAN = 84.0  # % of the width the longest bar takes; the rest holds its value
# Line charts (pixels down the chart; across it, percentages).
PLOT_TOP = 24  # room for the top y label, which sits on its grid line
PLOT_HEIGHT = 190
X_LABELS = 26
LEGEND_ROW = 24
X_INSET = 3.0  # % left and right of the first and last point
Y_TICKS = 5


def _fmt(value: float) -> str:
    """Coordinates with one decimal at most, so the markup stays small and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _pct(value: float) -> str:
    return f"{_fmt(value)}%"


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    chart_id = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def axis_ticks(max_value: float, count: int = Y_TICKS) -> list[int]:
    """Whole-number ticks from 0 that reach ``max_value``, at most ``count`` of them, a step of 1, 2 or 5 times a
    power of ten: cases come in whole numbers, so an axis never says 2.75."""
    if max_value <= 0:
        return [0, 1]
    raw = max_value / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    top = math.ceil(max_value / step) * step
    return list(range(0, top + 1, step))


def running_through(month: date, today: date) -> date | None:
    """The last day counted in ``month`` when that month is still running (``today`` falls in it), else None.

    A running month holds only the days so far: drawn like a finished month it reads as a sudden drop."""
    return today if (month.year, month.month) == (today.year, today.month) else None


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float]],
    value_text: Callable[[float], str] = lambda v: f"{v:g}",
    max_value: float | None = None,
) -> Markup:
    """Horizontal bars, one per (label, value): the label above its bar, the value printed after it."""
    row = BAR_LABEL + BAR_HEIGHT + BAR_GAP
    height = max(1, len(items)) * row
    top = max_value if max_value is not None else max((v for _, v in items), default=0)
    parts = _open(chart_id, title, desc, height)
    for index, (label, value) in enumerate(items):
        y = index * row
        length = BAR_SPAN * value / top if top else 0
        parts.append(f'<text class="chart-label" x="0" y="{y + BAR_LABEL - 6}">{escape(label)}</text>')
        parts.append(f'<rect class="chart-bar" x="0" y="{y + BAR_LABEL}" width="{_pct(max(length, 0))}" '
                     f'height="{BAR_HEIGHT}"/>')
        parts.append(f'<text class="chart-value" x="{_pct(length)}" dx="6" y="{y + BAR_LABEL + BAR_HEIGHT - 5}">'
                     f"{escape(value_text(value))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()


def tick_classes(index: int, count: int, steps: tuple[int, int, int], from_end: bool) -> str | None:
    """Which widths show the x label at ``index``: None for none; else classes that hide it on narrower screens.

    ``steps`` are the label spacings on a wide, a middle and a narrow screen, counted from the first point or,
    ``from_end``, from the last (a running month always keeps its label)."""
    position = count - 1 - index if from_end else index
    wide, middle, narrow = steps
    if position % wide:
        return None
    classes = ["chart-tick"]
    if position % middle:
        classes.append("chart-tick-hide-mid")
    if position % narrow:
        classes.append("chart-tick-hide-narrow")
    return " ".join(classes)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_ticks: Sequence[float] | None = None,
    y_text: Callable[[float], str] = lambda v: f"{v:g}",
    label_steps: tuple[int, int, int] = (1, 2, 4),
    labels_from_end: bool = False,
    running: int | None = None,
) -> Markup:
    """One or more lines over the same x labels, with a y axis, grid lines and a legend below.

    ``y_ticks`` fixes the axis (e.g. 0-100 %); by default whole numbers from 0 up to the highest value.
    ``running`` is the index of a point still being counted (the running month): it is drawn as an open dot on a
    shaded band, not joined to the line, and labelled "lopend" under its x label and in the legend.
    """
    count = len(x_labels)
    ticks = list(y_ticks) if y_ticks is not None else axis_ticks(
        max((v for _, values in series for v in values), default=0))
    top = ticks[-1] or 1
    bottom = PLOT_TOP + PLOT_HEIGHT
    labels_height = X_LABELS + (16 if running is not None else 0)
    legend_rows = len(series) + (1 if running is not None else 0)
    height = bottom + labels_height + legend_rows * LEGEND_ROW

    def x(i: int) -> float:
        if count <= 1:
            return 50.0
        return X_INSET + (100 - 2 * X_INSET) * i / (count - 1)

    def y(v: float) -> float:
        return bottom - PLOT_HEIGHT * v / top

    parts = _open(chart_id, title, desc, height)
    if running is not None and count > 1:
        half = (100 - 2 * X_INSET) / (count - 1) / 2
        left = max(0.0, x(running) - half)
        parts.append(f'<rect class="chart-running-band" x="{_pct(left)}" y="{PLOT_TOP}" '
                     f'width="{_pct(min(100.0, x(running) + half) - left)}" height="{PLOT_HEIGHT}"/>')
    for value in ticks:
        parts.append(f'<line class="chart-grid" x1="0" x2="100%" y1="{_fmt(y(value))}" y2="{_fmt(y(value))}"/>')
    parts.append(f'<line class="chart-axis" x1="0" x2="100%" y1="{bottom}" y2="{bottom}"/>')
    for number, (_name, values) in enumerate(series):
        done = [(i, v) for i, v in enumerate(values) if i != running]
        for (i1, v1), (i2, v2) in itertools.pairwise(done):
            parts.append(f'<line class="chart-line chart-series-{number}" x1="{_pct(x(i1))}" y1="{_fmt(y(v1))}" '
                         f'x2="{_pct(x(i2))}" y2="{_fmt(y(v2))}"/>')
        for i, v in enumerate(values):
            kind = " chart-running" if i == running else ""
            parts.append(f'<circle class="chart-dot chart-series-{number}{kind}" cx="{_pct(x(i))}" '
                         f'cy="{_fmt(y(v))}" r="{5 if kind else 3.5}"/>')
    # The y labels sit on their grid line at the left, over the lines (a white halo keeps them readable).
    for value in ticks:
        parts.append(f'<text class="chart-label chart-y-label" x="0" y="{_fmt(y(value) - 5)}">'
                     f"{escape(y_text(value))}</text>")
    for i, label in enumerate(x_labels):
        classes = tick_classes(i, count, label_steps, labels_from_end)
        if i == running:
            classes = "chart-tick"
        if classes is None:
            continue
        anchor = "start" if i == 0 and count > 1 else "end" if i == count - 1 and count > 1 else "middle"
        text = f'<tspan x="{_pct(x(i))}">{escape(label)}</tspan>'
        if i == running:
            text += f'<tspan x="{_pct(x(i))}" dy="16">lopend</tspan>'
        parts.append(f'<text class="chart-label {classes}" y="{bottom + 18}" text-anchor="{anchor}">{text}</text>')
    legend_y = bottom + labels_height
    for number, (name, _values) in enumerate(series):
        ly = legend_y + number * LEGEND_ROW
        parts.append(f'<rect class="chart-key chart-series-{number}" x="0" y="{ly + 5}" width="14" height="14"/>')
        parts.append(f'<text class="chart-key-label" x="22" y="{ly + 17}">{escape(name)}</text>')
    if running is not None:
        ly = legend_y + len(series) * LEGEND_ROW
        parts.append(f'<circle class="chart-dot chart-series-0 chart-running" cx="7" cy="{ly + 12}" r="5"/>')
        parts.append(f'<text class="chart-key-label" x="22" y="{ly + 17}">'
                     f"Open rondje: lopende maand, nog niet compleet</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()


def percent(value: float) -> str:
    return f"{round(value * 100)}%"
