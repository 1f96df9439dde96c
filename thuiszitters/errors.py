"""Typed domain exceptions. Services raise them; thuiszitters.http.errors turns them into pages, form errors, a flash
or problem+json."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InvalidParam:
    """One invalid input field. A service names it after the model's attribute (``school_brin``), which is also the
    form field's name; the API's problem names it as the client sent it (thuiszitters/http/problems.py)."""

    name: str
    code: str
    reason: str


class DomainError(Exception):
    """A domain rule refuses the action (HTTP 409 unless a subclass says otherwise)."""

    status = 409
    code = "domain_rule"
    title = "De actie is niet toegestaan"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    """No such object, or outside the user's scope: both look the same to the caller."""

    status = 404
    code = "not_found"
    title = "Niet gevonden"

    def __init__(self, detail: str = "Dit object bestaat niet of u heeft er geen toegang toe.") -> None:
        super().__init__(detail)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Geen toegang"

    def __init__(self, detail: str = "Uw rol geeft geen toegang tot deze functie.") -> None:
        super().__init__(detail)


class ValidationFailed(DomainError):
    """Input that breaks a rule; nothing was saved."""

    status = 400
    code = "invalid_input"
    title = "Ongeldige invoer"

    def __init__(self, params: list[InvalidParam], detail: str = "Controleer de gemarkeerde velden.") -> None:
        super().__init__(detail)
        self.params = params


class FileTooLarge(ValidationFailed):
    """An uploaded file over the size limit (413); its params name the file and any other wrong field."""

    status = 413
    code = "file_too_large"
    title = "Bestand te groot"


class UnsupportedFileType(ValidationFailed):
    """An uploaded file whose content is none of the allowed types, whatever its name says (415)."""

    status = 415
    code = "unsupported_media_type"
    title = "Soort bestand niet toegestaan"


class InvalidRequest(ValidationFailed):
    """The request itself is malformed (its JSON, a query parameter, a header); the names are the client's own."""


class NotAcceptable(DomainError):
    """The client accepts (Accept) none of the media types this answer comes in."""

    status = 406
    code = "not_acceptable"
    title = "Mediatype niet beschikbaar"

    def __init__(self, available: list[str]) -> None:
        super().__init__(f"Dit antwoord is er alleen als {', '.join(available)}. Pas de Accept-header aan.")


class UnsupportedMediaType(DomainError):
    """The request's body is not in a media type the endpoint reads (the API reads JSON only)."""

    status = 415
    code = "unsupported_media_type"
    title = "Mediatype niet ondersteund"

    def __init__(self, detail: str = "Stuur de body als JSON, met Content-Type: application/json.") -> None:
        super().__init__(detail)


class StaleVersion(DomainError):
    """Someone else changed the case since it was loaded; the change was refused, nothing overwritten."""

    status = 412
    code = "stale_version"
    title = "De casus is intussen gewijzigd"

    def __init__(self, current_version: int, changes: list[dict[str, Any]] | None = None, *,
                 detail: str | None = None, title: str | None = None) -> None:
        super().__init__(detail or (
            "Iemand anders heeft deze casus gewijzigd nadat u hem opende. Uw wijziging is niet opgeslagen."
        ))
        if title:
            self.title = title
        self.current_version = current_version
        self.changes = changes or []


class ConcurrentWrite(DomainError):
    """The database refused a write because someone else wrote the same rows at that moment, and their version
    did not move (for instance a lock conflict that was resolved by rolling the other one back). Nothing was
    saved; trying again is safe."""

    code = "concurrent_write"
    title = "Gelijktijdige wijziging"

    def __init__(self) -> None:
        super().__init__("Iemand anders sloeg op hetzelfde moment dezelfde gegevens op. Uw wijziging is niet "
                         "opgeslagen; probeer het opnieuw.")


class VersionRequired(DomainError):
    status = 428
    code = "version_required"
    title = "Versie ontbreekt"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or "Stuur de versie van de casus mee (If-Match) om een wijziging te doen.")


class CaseClosed(DomainError):
    code = "case_closed"

    def __init__(self) -> None:
        super().__init__("Deze casus is gesloten. Heropen de casus om iets toe te voegen of te wijzigen.")


class CaseNotClosed(DomainError):
    """Reopening a case that is open: a conflict with the case's state, not a wrong field (409)."""

    code = "not_closed"

    def __init__(self) -> None:
        super().__init__("Deze casus is al open.")


class OtherStepKind(DomainError):
    """A change meant for another kind of step: the stored step's kind decides which fields it has."""

    code = "other_step_kind"
    title = "Deze stap is van een andere soort"

    def __init__(self, kind: str, fields: list[str]) -> None:
        super().__init__(f"Deze stap is een {kind}; {', '.join(fields)} hoort bij een andere soort stap. Een stap "
                         "verandert niet van soort: voeg een nieuwe stap toe.", stepKind=kind, fields=fields)


class GateRefused(DomainError):
    code = "gate_not_met"
    title = "Het interventieteam kan nog niet worden ingeschakeld"

    def __init__(self, missing_steps: list[str], detail: str) -> None:
        super().__init__(detail, missingSteps=missing_steps)
        self.missing_steps = missing_steps
