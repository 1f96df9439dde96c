"""The case summary as one document: its sections in reading order, with their headings, labels and values.

Both renderers draw this structure and nothing else: the PDF (`pdf.py`) and the HTML print view
(`templates/reports/summary.html`). So a heading, a label, the masked BSN or the text of an empty section is
written once, here, and the two cannot drift apart. Pure: a `CaseSummary` in, plain data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from thuiszitters.reports.model import (
    CaseSummary,
    SummaryAction,
    SummaryAlert,
    SummaryEvent,
    SummaryJournalEntry,
    SummaryMeeting,
    SummaryParticipant,
    SummaryParty,
    SummaryPupil,
    SummaryStep,
)
from thuiszitters.text import format_date_nl, format_local_datetime

NO_VALUE = "—"

# C0 control characters (other than tab and newline) have no glyph and only confuse a reader or a screen reader.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Value:
    """A value or a table cell; its lines are separated by "\\n". `alert` marks what must stand out."""

    text: str
    alert: bool = False

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Facts:
    """Label and value pairs: a description list in HTML, a two-column table in the PDF."""

    kind: ClassVar[str] = "facts"  # how a template tells the blocks apart

    rows: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Grid:
    """A data table whose first row names the columns."""

    kind: ClassVar[str] = "grid"

    headers: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class Items:
    """A list of sentences, numbered when `ordered`; `title` heads it inside its section."""

    kind: ClassVar[str] = "items"

    items: tuple[str, ...]
    ordered: bool = False
    title: str | None = None
    alert: bool = False


@dataclass(frozen=True)
class Empty:
    """What an empty section says instead of an empty table."""

    kind: ClassVar[str] = "empty"

    text: str


Block = Facts | Grid | Items | Empty


@dataclass(frozen=True)
class Section:
    """A section under its own heading. `key` is stable: the HTML anchor and the PDF bookmark."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class SummaryDocument:
    # The case reference and nothing personal: fit for the PDF's metadata, the outline and the browser's tab.
    title: str
    reference: str
    # Under the title: the pupil's name, the kind of absence and the status.
    subtitle: str
    generated: str
    sections: tuple[Section, ...]


# --- Formatting (pure) ---


def clean(text: str) -> str:
    """User text without control characters, with every line break as "\\n"."""
    return _CONTROL_CHARS.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def mask_bsn(bsn: str | None) -> str:
    """The BSN with only its last three digits visible ("******123"); "niet vastgelegd" when there is none."""
    if bsn is None or not bsn.strip():
        return "niet vastgelegd"
    digits = "".join(bsn.split())
    if len(digits) <= 3:
        return "*" * len(digits)
    return "*" * (len(digits) - 3) + digits[-3:]


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nee"


def _v(text: str, *, alert: bool = False) -> Value:
    return Value(clean(text), alert=alert)


def _date(value: date | None) -> Value:
    return Value(format_date_nl(value) if value is not None else NO_VALUE)


def _pairs(pairs: list[tuple[str, str]]) -> Value:
    return Value("\n".join(f"{clean(label)}: {clean(value)}" for label, value in pairs) or NO_VALUE)


def generated_line(summary: CaseSummary) -> str:
    return f"Gegenereerd op {format_local_datetime(summary.generated_at)} door {clean(summary.generated_by)}"


# --- The sections, in reading order ---

SECTION_TITLES = {
    "leerling": "Leerling",
    "status": "Status",
    "escalatieketen": "Escalatieketen",
    "plan": "Plan van aanpak",
    "overleggen": "Overleggen (MDO)",
    "tijdlijn": "Tijdlijn",
    "journaal": "Journaal",
    "betrokkenen": "Betrokkenen",
    "netwerk": "Netwerk van de leerling",
    "signalen": "Openstaande signalen",
    "volgende-stappen": "Volgende stappen",
}


def _section(key: str, *blocks: Block) -> Section:
    return Section(key=key, title=SECTION_TITLES[key], blocks=blocks)


def _pupil(pupil: SummaryPupil) -> Section:
    return _section("leerling", Facts((
        ("Naam", _v(f"{pupil.first_name} {pupil.last_name}")),
        ("Geboortedatum", _date(pupil.date_of_birth)),
        ("BSN", Value(mask_bsn(pupil.bsn))),
        ("Gemeente", _v(pupil.gemeente)),
    )))


def _status(summary: CaseSummary) -> Section:
    goal = summary.goal_met_text or ("Nog niet bepaald" if summary.goal_met is None else yes_no(summary.goal_met))
    rows: list[tuple[str, Value]] = [
        ("Status", _v(summary.status_label)),
        ("Soort verzuim", _v(summary.absence_kind_label)),
        ("Uit school sinds", _date(summary.out_of_school_since)),
        ("Terugkeerdatum (doel)", _date(summary.return_deadline)),
        ("Dagen thuis", Value(NO_VALUE if summary.days_out_of_school is None else str(summary.days_out_of_school))),
        ("Over de termijn", Value(yes_no(summary.overdue), alert=summary.overdue)),
        ("Doel gehaald", Value(goal)),
    ]
    if summary.outcome_label is not None:
        rows.append(("Uitkomst", _v(summary.outcome_label)))
    if summary.offer_started_on is not None:
        rows.append(("Passend aanbod gestart op", _date(summary.offer_started_on)))
    if summary.closed_on is not None:
        rows.append(("Gesloten op", _date(summary.closed_on)))
    if summary.note:
        rows.append(("Notitie", _v(summary.note)))
    blocks: list[Block] = [Facts(tuple(rows))]
    if summary.warnings:
        blocks.append(Items(tuple(clean(w) for w in summary.warnings), title="Aandachtspunten", alert=True))
    return _section("status", *blocks)


def _chain(steps: list[SummaryStep]) -> Section:
    if not steps:
        return _section("escalatieketen", Empty("Nog geen stappen in de escalatieketen."))
    rows = tuple(
        (_v(step.kind_label), _pairs(step.dates), _pairs(step.terms), _v(step.outcome or NO_VALUE),
         Value(yes_no(step.done)))
        for step in steps
    )
    return _section("escalatieketen", Grid(("Stap", "Data", "Termijnen", "Uitkomst", "Afgerond"), rows))


def _timeline(events: list[SummaryEvent]) -> Section:
    if not events:
        return _section("tijdlijn", Empty("Geen gebeurtenissen vastgelegd."))
    # Chronological, oldest first; ties keep the order they were given in.
    rows = tuple(
        (Value(format_local_datetime(event.at)), _v(event.actor), _v(event.description))
        for event in sorted(events, key=lambda event: event.at)
    )
    return _section("tijdlijn", Grid(("Datum en tijd", "Door", "Gebeurtenis"), rows))


def _parties(parties: list[SummaryParty]) -> Section:
    if not parties:
        return _section("betrokkenen", Empty("Geen betrokkenen vastgelegd."))
    rows = tuple((_v(party.role), _v(party.name), _v(party.detail or NO_VALUE)) for party in parties)
    return _section("betrokkenen", Grid(("Rol", "Naam", "Gegevens"), rows))


def _network(network: list[SummaryParticipant], with_contact_details: bool) -> Section:
    if not network:
        return _section("netwerk", Empty("Er staat niemand in het netwerk van de leerling."))
    headers = ("Rol", "Naam", "Organisatie", "Toestemming ouders om te delen")
    rows = [(_v(p.role_label), _v(p.name), _v(p.organisation or NO_VALUE), _v(p.consent_label)) for p in network]
    if with_contact_details:
        return _section("netwerk", Grid((*headers, "Contactgegevens"), tuple(
            (*row, _v(p.contact or NO_VALUE)) for row, p in zip(rows, network, strict=True))))
    return _section("netwerk", Grid(headers, tuple(rows)))


def _journal(entries: list[SummaryJournalEntry]) -> Section:
    if not entries:
        return _section("journaal", Empty("Er staan geen berichten in het journaal."))
    rows = tuple(
        (_date(e.occurred_on), _v(e.kind_label + (" (gecorrigeerd)" if e.corrected else "")), _v(e.author),
         _v(e.participants or NO_VALUE), _v(e.text))
        for e in entries
    )
    return _section("journaal", Grid(("Datum", "Soort", "Door", "Met", "Verslag"), rows))


def _plan(actions: list[SummaryAction]) -> Section:
    if not actions:
        return _section("plan", Empty("Er staan geen acties in het plan van aanpak."))
    rows = tuple(
        (_v(a.description), _v(a.owner), Value(format_date_nl(a.due_on) + (" (te laat)" if a.overdue else ""),
                                               alert=a.overdue),
         _v(a.status_label + (f" op {format_date_nl(a.done_on)}" if a.done_on else "")))
        for a in actions
    )
    return _section("plan", Grid(("Actie", "Eigenaar", "Uiterlijk op", "Status"), rows))


def _meetings(meetings: list[SummaryMeeting]) -> Section:
    if not meetings:
        return _section("overleggen", Empty("Er zijn geen overleggen vastgelegd."))
    with_text = any(m.text is not None for m in meetings)
    rows = tuple(
        (_date(m.held_on), _v(m.kind_label), _v(m.participants or NO_VALUE),
         _v("\n".join(m.agreements) or NO_VALUE), *((_v(m.text or NO_VALUE),) if with_text else ()))
        for m in meetings
    )
    headers = ("Datum", "Soort", "Aanwezig", "Afspraken", *(("Verslag",) if with_text else ()))
    return _section("overleggen", Grid(headers, rows))


def _alerts(alerts: list[SummaryAlert]) -> Section:
    if not alerts:
        return _section("signalen", Empty("Geen openstaande signalen."))
    rows = tuple(
        (_v(alert.kind_label), _date(alert.due_on), _v(alert.status_label))
        for alert in sorted(alerts, key=lambda alert: alert.due_on)
    )
    return _section("signalen", Grid(("Signaal", "Vervalt op", "Status"), rows))


def _next_steps(next_steps: list[str]) -> Section:
    if not next_steps:
        return _section("volgende-stappen", Empty("Geen volgende stappen vastgelegd."))
    return _section("volgende-stappen", Items(tuple(clean(step) for step in next_steps), ordered=True))


def summary_document(summary: CaseSummary) -> SummaryDocument:
    """The summary as the sections both renderers draw, in the order a reader reads them."""
    pupil = summary.pupil
    return SummaryDocument(
        title=f"Casusoverzicht {summary.reference}",
        reference=summary.reference,
        subtitle=clean(f"{pupil.first_name} {pupil.last_name} · {summary.absence_kind_label} · "
                       f"{summary.status_label}"),
        generated=generated_line(summary),
        sections=(
            _pupil(pupil),
            _status(summary),
            _chain(summary.steps),
            _plan(summary.plan),
            _meetings(summary.meetings),
            _timeline(summary.events),
            *((_journal(summary.journal),) if summary.journal is not None else ()),
            _parties(summary.parties),
            _network(summary.network, summary.with_contact_details),
            _alerts(summary.open_alerts),
            _next_steps(summary.next_steps),
        ),
    )
