"""The case summary as plain data: what `summary.summary_for_case` reads from the database and what
`document.summary_document` lays out for both renderers (the PDF and the HTML print view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


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
class SummaryParticipant:
    """Someone in the pupil's network; `contact` (e-mail, phone) only when the user asked for contact details."""

    role_label: str
    name: str
    organisation: str | None
    consent_label: str
    contact: str | None = None


@dataclass(frozen=True)
class SummaryJournalEntry:
    occurred_on: date
    kind_label: str
    author: str
    participants: str
    text: str
    corrected: bool


@dataclass(frozen=True)
class SummaryAction:
    """An action of the plan van aanpak."""

    description: str
    owner: str
    due_on: date
    status_label: str
    done_on: date | None
    overdue: bool


@dataclass(frozen=True)
class SummaryMeeting:
    """A meeting: when, what, who was there, its agreements; its summary only with the journal (free text)."""

    held_on: date
    kind_label: str
    participants: str
    agreements: list[str]
    text: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    status_label: str
    absence_kind_label: str
    # None for a signal (no first day out of school yet).
    out_of_school_since: date | None
    return_deadline: date | None
    days_out_of_school: int | None
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
    # Why there is no yes/no for the goal (a signal, an outcome without a passend aanbod).
    goal_met_text: str | None = None
    closed_on: date | None = None
    # The pupil's network by role and name; the journal only when asked for (None: not asked).
    network: list[SummaryParticipant] = field(default_factory=list)
    journal: list[SummaryJournalEntry] | None = None
    with_contact_details: bool = False
    # The plan van aanpak (open actions first) and the meetings, oldest first.
    plan: list[SummaryAction] = field(default_factory=list)
    meetings: list[SummaryMeeting] = field(default_factory=list)
