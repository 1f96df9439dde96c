"""Small accessible SVG charts, rendered on the server as strings.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; the page puts a
table with the same numbers next to it. No inline styles (the CSP forbids them): colours and fonts come from
classes in ``static/css/dashboard.css``. Plain functions of plain data: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 290
VALUE_WIDTH = 70
LINE_HEIGHT = 260
MARGIN_LEFT = 52
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 46


def _fmt(value: float) -> str:
    """Coordinates with one decimal at most, so the markup stays small and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    chart_id = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float]],
    value_text: Callable[[float], str] = lambda v: f"{v:g}",
    max_value: float | None = None,
) -> Markup:
    """Horizontal bars, one per (label, value), with the value printed after each bar."""
    height = max(1, len(items)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    top = max_value if max_value is not None else max((v for _, v in items), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = _open(chart_id, title, desc, height)
    for index, (label, value) in enumerate(items):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = span * value / top if top else 0
        text_y = _fmt(y + BAR_HEIGHT * 0.7)
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">'
                     f"{escape(label)}</text>")
        parts.append(f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{_fmt(max(length, 0))}" '
                     f'height="{BAR_HEIGHT}"/>')
        parts.append(f'<text class="chart-value" x="{_fmt(LABEL_WIDTH + length + 6)}" y="{text_y}">'
                     f"{escape(value_text(value))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_max: float | None = None,
    y_text: Callable[[float], str] = lambda v: f"{v:g}",
    label_every: int = 1,
) -> Markup:
    """One or more lines over the same x labels, with a y axis of five ticks and a legend."""
    count = len(x_labels)
    top = y_max if y_max is not None else max((v for _, values in series for v in values), default=0)
    top = top or 1
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = LINE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    legend_h = 22 if len(series) > 1 else 0
    height = LINE_HEIGHT + legend_h
    bottom = MARGIN_TOP + plot_h

    def x(i: int) -> float:
        return MARGIN_LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return bottom - plot_h * v / top

    parts = _open(chart_id, title, desc, height)
    for tick in range(5):
        value = top * tick / 4
        parts.append(f'<line class="chart-grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
                     f'y1="{_fmt(y(value))}" y2="{_fmt(y(value))}"/>')
        parts.append(f'<text class="chart-label" x="{MARGIN_LEFT - 6}" y="{_fmt(y(value) + 4)}" '
                     f'text-anchor="end">{escape(y_text(value))}</text>')
    parts.append(f'<line class="chart-axis" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{bottom}" '
                 f'y2="{bottom}"/>')
    for i, label in enumerate(x_labels):
        if i % label_every == 0 or i == count - 1:
            parts.append(f'<text class="chart-label" x="{_fmt(x(i))}" y="{bottom + 18}" text-anchor="middle">'
                         f"{escape(label)}</text>")
    for number, (name, values) in enumerate(series):
        points = " ".join(f"{_fmt(x(i))},{_fmt(y(v))}" for i, v in enumerate(values))
        parts.append(f'<polyline class="chart-line chart-series-{number}" points="{points}"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle class="chart-dot chart-series-{number}" cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" '
                         f'r="2.5"/>')
        if legend_h:
            lx = MARGIN_LEFT + number * 180
            ly = LINE_HEIGHT + 6
            parts.append(f'<rect class="chart-key chart-series-{number}" x="{lx}" y="{ly}" width="14" '
                         f'height="14"/>')
            parts.append(f'<text class="chart-label" x="{lx + 20}" y="{ly + 12}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()


def percent(value: float) -> str:
    return f"{round(value * 100)}%"
