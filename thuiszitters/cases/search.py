"""Finding a case by what a user types in the search box: a reference, part of the pupil's name, or a BSN.

`interpret` reads the query (pure: what was asked, or a Dutch refusal); `search_clause` turns it into a WHERE
clause on the case and its pupil. The caller adds it to `visible_cases`, so a search never reaches outside the
user's scope, and the scope (an index on the swv or gemeente) narrows the rows before any name is compared: a
substring cannot use a b-tree, so the name is only read for the cases in scope (bench/bench_search.py).

What matches:
- a reference, whole or its start, in any case (``tz-2026-ab`` finds ``TZ-2026-AB12C``);
- every word of the query inside the pupil's first or last name, ignoring case and accents (``ozt`` and
  ``ozturk`` find ``Öztürk``; ``sem bakk`` finds ``Sem Bakker``): both sides are folded by
  `identifiers.search_key`, the pupil's side once when the name is stored (`Pupil.search_key`);
- exactly nine digits (spaces and dots allowed between them): the BSN, exactly, and nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_

from thuiszitters.audit.services import record_list_read
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.errors import InvalidParam, ValidationFailed
from thuiszitters.identifiers import InvalidIdentifier, normalize_bsn, search_key

QUERY_FIELD = "q"
MIN_LENGTH = 2
MAX_LENGTH = 100
MAX_WORDS = 5

_BSN_SHAPE = re.compile(r"[0-9][0-9 .]*")
_REFERENCE_SHAPE = re.compile(r"[A-Za-z0-9-]+")
_LIKE_SPECIALS = re.compile(r"([\\%_])")


@dataclass(frozen=True)
class SearchTerms:
    """What a query asks for: a BSN, or name words and (when it could be one) the start of a reference."""

    bsn: str | None = None
    words: tuple[str, ...] = ()
    reference_prefix: str | None = None

    @property
    def kind(self) -> str:
        """What kind of query this was, for the audit trail (which never holds the query itself)."""
        return "bsn" if self.bsn is not None else "naam_of_casusnummer"


def read_query(query: str | None) -> SearchTerms | InvalidParam:
    """The query as search terms, or what is wrong with it (named ``q``)."""
    text = (query or "").strip()
    if not text:
        return InvalidParam(QUERY_FIELD, "required", "Vul een casusnummer, (een deel van) een naam of een BSN in.")
    if len(text) > MAX_LENGTH:
        return InvalidParam(QUERY_FIELD, "too_long", f"Zoek met hoogstens {MAX_LENGTH} tekens.")
    if _BSN_SHAPE.fullmatch(text):
        digits = re.sub(r"[ .]", "", text)
        if len(digits) == 9:
            try:
                return SearchTerms(bsn=normalize_bsn(digits))
            except InvalidIdentifier as exc:
                return InvalidParam(QUERY_FIELD, exc.code, exc.message)
    words = tuple(dict.fromkeys(search_key(text).split()))
    if len("".join(words)) < MIN_LENGTH:
        return InvalidParam(QUERY_FIELD, "too_short", f"Vul minstens {MIN_LENGTH} letters of cijfers in.")
    if len(words) > MAX_WORDS:
        return InvalidParam(QUERY_FIELD, "too_many_words", f"Zoek met hoogstens {MAX_WORDS} woorden.")
    reference = text.upper() if _REFERENCE_SHAPE.fullmatch(text) else None
    return SearchTerms(words=words, reference_prefix=reference)


def interpret(query: str | None) -> SearchTerms:
    """The query as search terms; ValidationFailed (naming ``q``) when it cannot be searched for."""
    terms = read_query(query)
    if isinstance(terms, InvalidParam):
        raise ValidationFailed([terms])
    return terms


def _escaped(text: str) -> str:
    """`text` for a LIKE pattern with escape character backslash: its own %, _ and \\ are plain characters."""
    return _LIKE_SPECIALS.sub(r"\\\1", text)


def search_clause(terms: SearchTerms) -> ColumnElement[bool]:
    """The WHERE clause for these terms, on `Case` joined to its `Pupil` (see `join_pupil`)."""
    if terms.bsn is not None:
        return Pupil.bsn == terms.bsn
    # Each word somewhere in the folded names (LIKE: the words are escaped, so % and _ are plain characters).
    name = and_(*(Pupil.search_key.like(f"%{_escaped(word)}%", escape="\\") for word in terms.words))
    if terms.reference_prefix is None:
        return name
    # References are stored in capitals (TZ-2026-AB12C); the prefix is in capitals too, so LIKE compares the
    # same way on SQLite (case-insensitive for ASCII) and PostgreSQL (case-sensitive).
    return or_(Case.reference.like(f"{_escaped(terms.reference_prefix)}%", escape="\\"), name)


def join_pupil(query: Select[tuple[Case]]) -> Select[tuple[Case]]:
    """The case query with its pupil joined explicitly, for `search_clause` (the model's eager join is aliased)."""
    return query.join(Pupil, Pupil.id == Case.pupil_id)


def record_search(terms: SearchTerms, *, actor_id: int, activity: str, case_ids: list[int], listed_on: str) -> None:
    """Log a search in the audit trail: which cases it showed and what kind of query it was (a BSN or a name is
    personal data, so the query itself is never written), also when it found nothing. Does not commit."""
    record_list_read("case.search", actor_id=actor_id, activity=activity, case_ids=case_ids, listed_on=listed_on,
                     searched_by=terms.kind)
