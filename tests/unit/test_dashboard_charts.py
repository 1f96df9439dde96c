"""The return curve and the SVG charts, without an app."""
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
    assert svg.count("<polyline") == 2
    assert "Nieuw" in svg and "Gesloten" in svg
    assert "style=" not in svg
