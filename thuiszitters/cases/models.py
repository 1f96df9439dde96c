"""A thuiszitter case, its pupil and the steps of the escalation chain."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from thuiszitters.accounts.models import User
from thuiszitters.extensions import UTCDateTime, db
from thuiszitters.identifiers import search_key
from thuiszitters.reference.models import Gemeente, School, Swv


class Pupil(db.Model):
    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(150))
    date_of_birth: Mapped[date]
    # Search by an exact BSN (cases/search.py) finds the pupil through this index, not by reading every row.
    bsn: Mapped[str | None] = mapped_column(String(9), index=True)

    cases: Mapped[list[Case]] = relationship(back_populates="pupil")

    @validates("first_name", "last_name")
    def _keep_cases_searchable(self, name: str, value: str) -> str:
        first = value if name == "first_name" else self.first_name
        last = value if name == "last_name" else self.last_name
        for case in self.cases:
            case.search_key = case_search_key(case.reference or "", first or "", last or "")
        return value

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def case_search_key(reference: str, first_name: str, last_name: str) -> str:
    """What `Case.search_key` holds (also for bulk inserts that bypass the model): the reference and the pupil's
    names, folded by identifiers.search_key (lower case, no accents)."""
    return search_key(f"{reference} {first_name} {last_name}")


class Case(db.Model):
    """One period out of school of one pupil, from registration until a passend aanbod starts."""

    __tablename__ = "case_file"
    __table_args__ = (
        # The case list: scope + status, in its sort order (deadline, id); holding anonymised_at makes skipping
        # rows for a deep page and counting them index-only (migration 0002 widened these two).
        Index("ix_case_file_swv_status_deadline", "swv_id", "status", "return_deadline", "id", "anonymised_at"),
        Index("ix_case_file_gemeente_status_deadline", "gemeente_id", "status", "return_deadline", "id",
              "anonymised_at"),
        # Reminder sweeps over open cases by deadline and by activity.
        Index("ix_case_file_status_deadline", "status", "return_deadline"),
        Index("ix_case_file_status_since", "status", "out_of_school_since"),
        Index("ix_case_file_status_activity", "status", "last_activity_on"),
        # The werkvoorraad (worklist/sources.py): a scope's active cases by last activity (stale cases), covering
        # all it reads of a case (the id too, for PostgreSQL's index-only scan), so no case row is read; also the
        # active cases from which the chain terms and open alerts are probed.
        Index("ix_case_file_swv_status_activity", "swv_id", "status", "last_activity_on", "anonymised_at",
              "reference", "id"),
        # Retention sweep.
        Index("ix_case_file_closed_on", "closed_on"),
        # The case list's filter choices: the gemeenten and schools of the cases in a swv's scope (index-only).
        Index("ix_case_file_swv_gemeente", "swv_id", "gemeente_id", "anonymised_at"),
        Index("ix_case_file_swv_school", "swv_id", "school_id", "anonymised_at"),
        Index("ix_case_file_gemeente_school", "gemeente_id", "school_id", "anonymised_at"),
        # The case list without a status filter.
        Index("ix_case_file_swv_list", "swv_id", "return_deadline", "id", "anonymised_at"),
        Index("ix_case_file_gemeente_list", "gemeente_id", "return_deadline", "id", "anonymised_at"),
        # Search in a scope (cases/search.py): the folded names of the scope's cases in one index range, compared
        # there (covering: no case or pupil row is read to find out what matches).
        Index("ix_case_file_swv_search", "swv_id", "search_key", "anonymised_at", "id"),
        Index("ix_case_file_gemeente_search", "gemeente_id", "search_key", "anonymised_at", "id"),
        # Dashboards in scope: cases started / closed per month, funnel, return curve (covering: index-only).
        Index("ix_case_file_swv_since", "swv_id", "out_of_school_since", "anonymised_at", "stage", "status",
              "outcome", "offer_started_on"),
        Index("ix_case_file_gemeente_since", "gemeente_id", "out_of_school_since", "anonymised_at", "stage",
              "status", "outcome", "offer_started_on"),
        # (outcome, absence kind and first day out: the goal-met rate over offer outcomes, the other outcomes
        # beside it, relatief verzuim counted after 4 weeks; migration 0009 widened these.)
        Index("ix_case_file_swv_closed", "swv_id", "closed_on", "anonymised_at", "offer_started_on",
              "return_deadline", "outcome", "absence_kind", "out_of_school_since"),
        Index("ix_case_file_gemeente_closed", "gemeente_id", "closed_on", "anonymised_at", "offer_started_on",
              "return_deadline", "outcome", "absence_kind", "out_of_school_since"),
        # National aggregates per swv for the inspectie (covering, no table reads). Not (status, swv_id, ...):
        # SQLite would then pick it for the case list too, which needs ix_case_file_swv_status_deadline.
        Index("ix_case_file_status_deadline_swv", "status", "return_deadline", "swv_id", "absence_kind",
              "out_of_school_since"),
        Index("ix_case_file_since_swv", "out_of_school_since", "swv_id", "absence_kind", "closed_on",
              "offer_started_on"),
        Index("ix_case_file_closed_swv", "closed_on", "swv_id", "offer_started_on", "return_deadline", "outcome",
              "absence_kind", "out_of_school_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # "signaal" (a dreigend thuiszitter, no first day out of school yet), "open" or "closed" (escalation.lifecycle).
    status: Mapped[str] = mapped_column(String(10), default="open")
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    swv_id: Mapped[int] = mapped_column(ForeignKey("swv.id"))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    absence_kind: Mapped[str] = mapped_column(String(20))
    # None for a signal: it becomes open when the first day out of school is recorded.
    out_of_school_since: Mapped[date | None]
    # Derived from out_of_school_since by escalation.terms.return_deadline, stored so sweeps and lists can use an index.
    return_deadline: Mapped[date | None]
    # Furthest step kind reached; stored for the stage filter and funnel.
    stage: Mapped[str | None] = mapped_column(String(20), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    # Offer outcomes only (spec.OFFER_OUTCOMES): when the passend aanbod started.
    offer_started_on: Mapped[date | None]
    # Every closed case: the closing date (for the other outcomes the end of the absence).
    closed_on: Mapped[date | None]
    last_activity_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)
    # What search compares (cases/search.py): the reference and the pupil's names, folded (`case_search_key`).
    # Kept here, beside the scope, so that a search in a scope reads one index range (ix_case_file_*_search) and
    # never the pupil rows. Set by the model whenever the reference, the pupil or a pupil's name is set.
    search_key: Mapped[str] = mapped_column(String(300), default="")

    __mapper_args__ = {"version_id_col": version}

    pupil: Mapped[Pupil] = relationship(lazy="joined", innerjoin=True, back_populates="cases")
    swv: Mapped[Swv] = relationship(lazy="joined", innerjoin=True)
    gemeente: Mapped[Gemeente] = relationship(lazy="joined", innerjoin=True)
    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    outcome_school: Mapped[School | None] = relationship(foreign_keys=[outcome_school_id])
    coordinator: Mapped[User | None] = relationship()
    steps: Mapped[list[Step]] = relationship(
        back_populates="case", order_by="Step.id", cascade="all, delete-orphan"
    )

    @validates("reference", "pupil")
    def _keep_search_key(self, name: str, value: object) -> object:
        reference = value if name == "reference" else self.reference
        pupil = value if name == "pupil" else self.pupil
        self.search_key = case_search_key(str(reference or ""), getattr(pupil, "first_name", "") or "",
                                          getattr(pupil, "last_name", "") or "")
        return value

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class Step(db.Model):
    """One step of the escalation chain. One table for all kinds; the columns a kind does not use stay empty."""

    __tablename__ = "case_step"
    __table_args__ = (
        # The werkvoorraad's chain terms: a case's aanmelding and GPO steps whose term is unmet, found in the
        # index without reading the case's other steps (worklist/sources.term_items).
        Index("ix_case_step_worklist", "case_id", "kind", "decision", "filed_on", "verdict", "follow_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    out_of_order_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # aanmelding
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    received_on: Mapped[date | None]
    extended_on: Mapped[date | None]
    extension_weeks: Mapped[int | None]
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[date | None]
    # swv_inzet
    started_on: Mapped[date | None]
    action: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[date | None]
    # consulent
    consulent_type: Mapped[str | None] = mapped_column(String(30))
    parental_consent: Mapped[bool | None]
    requested_on: Mapped[date | None]
    advice_on: Mapped[date | None]
    # geschillencommissie
    subject: Mapped[str | None] = mapped_column(String(20))
    school_decision_on: Mapped[date | None]
    filed_on: Mapped[date | None]
    late_filing_reason: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(20))
    verdict_on: Mapped[date | None]
    follow_up: Mapped[str | None] = mapped_column(String(20))
    follow_up_on: Mapped[date | None]
    # interventieteam
    reported_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    # consulent and interventieteam
    closed_on: Mapped[date | None]

    case: Mapped[Case] = relationship(back_populates="steps")
    school: Mapped[School | None] = relationship()

    @property
    def school_brin(self) -> str | None:
        return self.school.brin if self.school else None
