"""Turn dashboard numbers into panels: a chart and the table with the same numbers (its text alternative)."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from thuiszitters.dashboard import charts
from thuiszitters.dashboard.queries import (
    ACK_BUCKETS,
    ACK_LABELS,
    DURATION_BUCKETS,
    DURATION_LABELS,
    CoordinatorDashboard,
    InspectieDashboard,
    LeerplichtDashboard,
    MonthFlow,
    month_label,
)
from thuiszitters.escalation import spec
from thuiszitters.text import MONTHS_NL, format_date_long


@dataclass(frozen=True)
class Panel:
    id: str
    heading: str
    intro: str
    svg: Markup
    columns: list[str]
    rows: list[list[str]]


def _share(part: int, whole: int) -> str:
    return charts.percent(part / whole) if whole else "—"


def _month_panel(panel_id: str, heading: str, months: list[MonthFlow], scope_text: str) -> Panel:
    labels = [month_label(m.month) for m in months]
    running = next((i for i, m in enumerate(months) if m.running_through is not None), None)
    desc = f"Aantal nieuwe en gesloten casussen per maand, de laatste {len(months)} maanden, {scope_text}."
    if running is not None:
        through = months[running].running_through
        month = months[running].month
        desc += (f" {MONTHS_NL[month.month - 1].capitalize()} {month.year} loopt nog: geteld tot en met "
                 f"{format_date_long(through)}.")
    svg = charts.line_chart(
        panel_id, heading, desc, labels,
        [("Nieuw", [m.new for m in months]), ("Gesloten", [m.closed for m in months])],
        label_steps=(1, 2, 4), labels_from_end=True, running=running,
    )
    # The goal-met rate is over the cases closed with a passend aanbod; the other outcomes are in "Gesloten".
    rows = [[_month_row_label(m), str(m.new), str(m.closed), str(m.closed_with_offer),
             _share(m.goal_met, m.closed_with_offer)] for m in months]
    return Panel(panel_id, heading, "", svg,
                 ["Maand", "Nieuw", "Gesloten", "Gesloten met passend aanbod", "Doel gehaald (van die met aanbod)"],
                 rows)


def outcome_rows(other: dict[str, int]) -> list[tuple[str, int]]:
    """The outcomes without a passend aanbod with their Dutch labels, in spec order: shown beside the rate."""
    return [(spec.OUTCOME_LABELS[code], count) for code, count in other.items()]


def _month_row_label(flow: MonthFlow) -> str:
    label = month_label(flow.month)
    if flow.running_through is None:
        return label
    return f"{label} (lopend, tot en met {format_date_long(flow.running_through)})"


def coordinator_panels(data: CoordinatorDashboard) -> list[Panel]:
    durations = [(DURATION_LABELS[b], data.durations.get(b, 0)) for b in DURATION_BUCKETS]
    funnel = [(spec.STEP_LABELS[kind], count) for kind, count in data.funnel]
    survival = data.survival
    return [
        Panel("duur", "Hoe lang zitten open casussen al thuis?",
              "Open casussen naar de tijd sinds de eerste dag thuis.",
              charts.bar_chart("duur", "Open casussen naar duur thuis",
                               "Aantal open casussen per duurklasse sinds de eerste dag thuis.", durations),
              ["Duur thuis", "Open casussen"], [[label, str(count)] for label, count in durations]),
        Panel("trechter", "Hoe ver komen casussen in de keten?",
              f"Casussen die in de afgelopen 12 maanden begonnen ({data.funnel_total}), naar de stap die ze "
              "minstens bereikten.",
              charts.bar_chart("trechter", "Stappen bereikt",
                               "Aantal casussen van de afgelopen 12 maanden dat elke stap van de keten bereikte.",
                               funnel),
              ["Stap", "Casussen", "Aandeel"],
              [[label, str(count), _share(count, data.funnel_total)] for label, count in funnel]),
        _month_panel("maanden", "Nieuwe en gesloten casussen per maand", data.months, "in uw overzicht"),
        Panel("terugkeer", "Hoeveel leerlingen zitten na N dagen nog thuis?",
              f"Alle casussen die in de afgelopen twee jaar begonnen ({data.survival_cases}). Een casus die nog "
              "open is, of gesloten zonder terugkeer naar onderwijs, telt mee tot dat moment (Kaplan-Meier).",
              charts.line_chart(
                  "terugkeer", "Aandeel nog thuis na N dagen",
                  "Aandeel leerlingen dat na het aantal dagen sinds de eerste dag thuis nog geen passend aanbod "
                  "heeft, per week tot 182 dagen.",
                  [str(p.days) for p in survival], [("Nog thuis", [p.share_out for p in survival])],
                  y_ticks=[0, 0.25, 0.5, 0.75, 1.0], y_text=charts.percent, label_steps=(2, 2, 13)),
              ["Dagen thuis", "Nog thuis", "Nog gevolgd"],
              [[str(p.days), charts.percent(p.share_out), str(p.at_risk)] for p in survival]),
    ]


def leerplicht_panels(data: LeerplichtDashboard) -> list[Panel]:
    acks = [(ACK_LABELS[b], data.acknowledgement.get(b, 0)) for b in ACK_BUCKETS]
    gemeenten = [(g.name, g.overdue) for g in data.gemeenten]
    return [
        Panel("bevestiging", "Wanneer is het signaal voor het laatst bevestigd?",
              "Te late casussen naar de tijd sinds een leerplichtambtenaar hun signaal voor het laatst bevestigde.",
              charts.bar_chart("bevestiging", "Te late casussen naar laatste bevestiging",
                               "Aantal te late casussen per klasse van tijd sinds de laatste bevestiging.", acks),
              ["Laatste bevestiging", "Te late casussen"], [[label, str(count)] for label, count in acks]),
        Panel("gemeenten", "Te late casussen per gemeente", "",
              charts.bar_chart("gemeenten", "Te late casussen per gemeente",
                               "Aantal open casussen over de terugkeerdatum per gemeente.", gemeenten),
              ["Gemeente", "Open", "Te laat"],
              [[g.name, str(g.open), str(g.overdue)] for g in data.gemeenten]),
    ]


def inspectie_panels(data: InspectieDashboard) -> list[Panel]:
    return [_month_panel("landelijk", "Landelijk: nieuwe en gesloten casussen per maand", data.months,
                         "alle samenwerkingsverbanden")]
