"""Which of the chain's terms are still open on a step, and what the werkvoorraad calls them. Pure.

The due dates come from ``escalation.terms`` (by the spec's term names); this module only knows which recorded
field meets each term: a term with that field empty is still work to do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, term_on


@dataclass(frozen=True)
class ChainTerm:
    """A term of a step kind (``spec.Term`` name), the field whose value meets it, and the item's Dutch title."""

    kind: str
    term: str
    met_by: str
    title: str


# The chain's terms that are work for the coordinator (DOMAIN.md "Terms and deadlines"), in chain order.
CHAIN_TERMS: tuple[ChainTerm, ...] = (
    ChainTerm("aanmelding", "decision_due_on", "decision", "Besluit van de school op de aanmelding"),
    ChainTerm("geschillencommissie", "filing_due_on", "filed_on", "Verzoek indienen bij de Geschillencommissie"),
    ChainTerm("geschillencommissie", "verdict_due_on", "verdict", "Oordeel van de Geschillencommissie verwacht"),
    ChainTerm("geschillencommissie", "follow_up_due_on", "follow_up",
              "Reactie van het schoolbestuur op het oordeel (praktijknorm)"),
)
TERM_KINDS = tuple(dict.fromkeys(term.kind for term in CHAIN_TERMS))

RETURN_DEADLINE_TITLE = "Terugkeerdatum: uiterlijk dan een passend aanbod"


def open_terms(step: object, until: date, terms: Terms = DEFAULT_TERMS) -> list[tuple[ChainTerm, date]]:
    """The step's terms not yet met whose due date is on or before ``until`` (overdue ones included)."""
    found = []
    for chain_term in CHAIN_TERMS:
        if getattr(step, "kind", None) != chain_term.kind or getattr(step, chain_term.met_by, None) is not None:
            continue
        due_on = term_on(step, chain_term.term, terms)
        if due_on is not None and due_on <= until:
            found.append((chain_term, due_on))
    return found
