"""Finding a case by what a user types in the search box: a reference, part of the pupil's name, or a BSN.

`read_query` reads the query (pure: what was asked, or a Dutch refusal); `where_found` adds it to a case query. The
caller starts from `visible_cases`, so a search never reaches outside the user's scope.

What matches:
- every word of the query somewhere in the case's reference or the pupil's first or last name, ignoring case and
  accents (``ozt`` and ``ozturk`` find ``Öztürk``; ``sem bakk`` finds ``Sem Bakker``; ``tz-2026-ab`` finds
  ``TZ-2026-AB12C``): both sides are folded by `identifiers.search_key`, the case's side once, when it is written
  (`Case.search_key`);
- exactly nine digits (spaces and dots allowed between them): the BSN, exactly, and nothing else.

Fast at national scale: a name is compared in `Case.search_key`, which sits in the scope's own index
(``ix_case_file_swv_search``, ``ix_case_file_gemeente_search``), so a search reads one index range of the user's
cases and no case or pupil row until the page of results is loaded (bench/README.md). A BSN is found through
``ix_pupil_bsn``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, and_

from thuiszitters.audit.services import record_list_read
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.errors import InvalidParam, ValidationFailed
from thuiszitters.identifiers import InvalidIdentifier, normalize_bsn, search_key

QUERY_FIELD = "q"
MIN_LENGTH = 2
MAX_LENGTH = 100
MAX_WORDS = 5

_BSN_SHAPE = re.compile(r"[0-9][0-9 .]*")
_LIKE_SPECIALS = re.compile(r"([\\%_])")


@dataclass(frozen=True)
class SearchTerms:
    """What a query asks for: a BSN, or words that must each occur in the reference or the pupil's names."""

    bsn: str | None = None
    words: tuple[str, ...] = ()

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
    return SearchTerms(words=words)


def interpret(query: str | None) -> SearchTerms:
    """The query as search terms; ValidationFailed (naming ``q``) when it cannot be searched for."""
    terms = read_query(query)
    if isinstance(terms, InvalidParam):
        raise ValidationFailed([terms])
    return terms


def _escaped(text: str) -> str:
    """`text` for a LIKE pattern with escape character backslash: its own %, _ and \\ are plain characters."""
    return _LIKE_SPECIALS.sub(r"\\\1", text)


def where_found(query: Select[tuple[Case]], terms: SearchTerms) -> Select[tuple[Case]]:
    """The case query narrowed to what the terms find."""
    if terms.bsn is not None:
        # The model's eager join of the pupil is aliased: join it once more, explicitly, to filter on it.
        return query.join(Pupil, Pupil.id == Case.pupil_id).where(Pupil.bsn == terms.bsn)
    # Each word somewhere in the folded reference and names (escaped: % and _ are plain characters). Asked as
    # "the ids in scope whose key matches", so the planner answers it from the scope's search index alone, and
    # orders and pages the few matches through the list's own index (a plain WHERE let SQLite walk the list in
    # deadline order and read every case row of the scope to compare its key).
    words = and_(*(Case.search_key.like(f"%{_escaped(word)}%", escape="\\") for word in terms.words))
    return query.where(Case.id.in_(query.with_only_columns(Case.id).order_by(None).where(words)))


def record_search(terms: SearchTerms, *, actor_id: int, activity: str, case_ids: list[int], listed_on: str) -> None:
    """Log a search in the audit trail: which cases it showed and what kind of query it was (a BSN or a name is
    personal data, so the query itself is never written), also when it found nothing. Does not commit."""
    record_list_read("case.search", actor_id=actor_id, activity=activity, case_ids=case_ids, listed_on=listed_on,
                     searched_by=terms.kind)
