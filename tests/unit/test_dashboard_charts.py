"""The return curve and the SVG charts, without an app."""
import re
from datetime import date

from thuiszitters.dashboard import charts
from thuiszitters.dashboard.queries import survival_curve


def test_return_curve_counts_returns_and_keeps_open_cases_at_risk_until_they_leave_observation():
    # 10 pupils: 4 back in week 0, 2 still open after 1 week (censored), 2 back in week 1, 2 out past the end.
    buckets = {(0, True): 4, (1, False): 2, (1, True): 2, (26, False): 2}
    curve = survival_curve(buckets, weeks=26)
    assert curve[0].days == 0 and curve[0].share_out == 1.0 and curve[0].at_risk == 10
    assert curve[1].days == 7 and curve[1].share_out == 0.6  # 4 of 10 returned in the first week
    # Week 1: 6 at risk, 2 return: 0.6 * (1 - 2/6) = 0.4; the 2 censored leave the risk set afterwards.
    assert abs(curve[2].share_out - 0.4) < 1e-9
    assert curve[2].at_risk == 2
    assert curve[-1].days == 182 and abs(curve[-1].share_out - 0.4) < 1e-9


def test_bar_chart_is_named_escapes_labels_and_uses_no_inline_style():
    svg = str(charts.bar_chart("c1", "Titel <1>", "Beschrijving", [("<script>", 3), ("B & C", 0)]))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Titel &lt;1&gt;</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert "style=" not in svg


def test_line_chart_draws_one_line_per_series_and_a_legend():
    svg = str(charts.line_chart("c2", "T", "D", ["jan", "feb", "mrt"], [("Nieuw", [1, 2, 3]), ("Gesloten", [0, 1, 0])]))
    # Each series is drawn as joined segments (two for three points), in its own class.
    assert svg.count('class="chart-line chart-series-0"') == 2 and svg.count('class="chart-line chart-series-1"') == 2
    assert "Nieuw" in svg and "Gesloten" in svg
    assert "style=" not in svg


def test_axis_ticks_are_whole_numbers_from_zero_that_reach_the_highest_value():
    assert charts.axis_ticks(0) == [0, 1]  # an empty chart still has an axis
    assert charts.axis_ticks(3) == [0, 1, 2, 3]
    assert charts.axis_ticks(4) == [0, 1, 2, 3, 4]
    assert charts.axis_ticks(5) == [0, 2, 4, 6]
    assert charts.axis_ticks(11) == [0, 5, 10, 15]  # was 0, 2.75, 5.5, 8.25, 11
    assert charts.axis_ticks(34) == [0, 10, 20, 30, 40]
    assert charts.axis_ticks(1234) == [0, 500, 1000, 1500]
    for top in range(0, 2000, 7):
        ticks = charts.axis_ticks(top)
        assert all(isinstance(t, int) for t in ticks) and ticks[0] == 0 and ticks[-1] >= top
        assert len(ticks) <= 5


def test_the_line_chart_axis_shows_no_fractions_of_a_case():
    svg = str(charts.line_chart("c3", "T", "D", ["jan", "feb", "mrt", "apr"], [("Nieuw", [2, 11, 4, 8])]))
    y_labels = re.findall(r'class="chart-label chart-y-label"[^>]*>([^<]+)<', svg)
    assert y_labels == ["0", "5", "10", "15"]


def test_only_the_month_that_today_falls_in_is_running():
    assert charts.running_through(date(2026, 12, 1), date(2026, 12, 14)) == date(2026, 12, 14)
    assert charts.running_through(date(2026, 11, 1), date(2026, 12, 1)) is None  # November is complete
    assert charts.running_through(date(2025, 12, 1), date(2026, 12, 14)) is None  # another year


def test_a_running_month_is_an_open_dot_on_its_own_not_a_drop_in_the_line():
    svg = str(charts.line_chart("c4", "T", "D", ["okt", "nov", "dec"], [("Nieuw", [10, 12, 1])], running=2))
    # The line joins October and November only; December is an open dot, labelled as running.
    segments = re.findall(r'<line class="chart-line chart-series-0" x1="([\d.]+)%"[^>]*x2="([\d.]+)%"', svg)
    assert len(segments) == 1
    assert svg.count("chart-dot chart-series-0 chart-running") == 2  # the point and its legend key
    assert ">lopend<" in svg and "lopende maand" in svg
    finished = str(charts.line_chart("c5", "T", "D", ["okt", "nov", "dec"], [("Nieuw", [10, 12, 1])]))
    assert len(re.findall(r'<line class="chart-line', finished)) == 2 and "lopend" not in finished


def test_x_labels_thin_out_on_narrow_screens_but_the_last_month_always_shows():
    count, steps = 12, (1, 2, 4)
    classes = [charts.tick_classes(i, count, steps, from_end=True) for i in range(count)]
    assert classes[-1] == "chart-tick"  # shown at every width
    narrow = [i for i, c in enumerate(classes) if c and "hide-narrow" not in c and "hide-mid" not in c]
    assert narrow == [3, 7, 11]
    middle = [i for i, c in enumerate(classes) if c and "hide-mid" not in c]
    assert middle == [1, 3, 5, 7, 9, 11]
    assert all(c is not None for c in classes)  # wide: every month


def test_charts_scale_to_the_page_width_and_keep_their_text_size():
    svg = str(charts.bar_chart("c6", "T", "D", [("Korter dan 4 weken", 8), ("Langer", 4)]))
    assert 'width="100%"' in svg and "viewBox" not in svg  # no viewBox: the text is never scaled down
    assert 'width="84%"' in svg and 'width="42%"' in svg  # bar lengths in proportion, as a share of the width
