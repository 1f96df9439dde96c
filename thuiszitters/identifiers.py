"""Validation and normalisation of the Dutch identifiers, the e-mail addresses and the person names the product
stores.

Every code is stored in one canonical form (``111222333``, ``07NU00``, ``PO 20-01``, ``GM0363``) so that
look-ups, scope checks and exports compare like with like, whatever a user or an integration typed. Each
``normalize_*`` function returns that canonical form or raises :class:`InvalidIdentifier` with a stable
``code`` (for API ``invalidParams``) and a Dutch ``message`` (for forms). Each ``is_valid_*`` answers the same
question without raising.

Person names have no canonical form, only a clean one: ``clean_person_name`` takes out the invisible characters
that let one name pose as another. ``search_key`` folds a name (or what a user typed to find it) to lower case
without accents, so that ``ozturk`` finds ``Öztürk``.

Pure module: no Flask, no database. Whether a valid code is also *known* (a registered school, an existing
swv) is a question for the reference data, not for this module.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.nl import brin as stdnum_brin
from stdnum.nl import bsn as stdnum_bsn

from thuiszitters.parsing import ascii_digits

__all__ = [
    "InvalidIdentifier",
    "clean_person_name",
    "display_phone",
    "is_valid_brin",
    "is_valid_bsn",
    "is_valid_email",
    "is_valid_gemeente_code",
    "is_valid_swv_code",
    "normalize_brin",
    "normalize_bsn",
    "normalize_email",
    "normalize_gemeente_code",
    "normalize_phone",
    "normalize_swv_code",
    "search_key",
]


class InvalidIdentifier(ValueError):
    """An identifier that cannot be normalised; ``code`` is machine-readable, ``message`` is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _text(value: object, prefix: str, label: str) -> str:
    """Reject non-text and empty input up front, so every later check can assume a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidIdentifier(f"{prefix}.empty", f"Vul een {label} in.")
    return value


# --- BSN ----------------------------------------------------------------------------------------------------

_BSN_SEPARATORS = re.compile(r"[\s.]")


def normalize_bsn(value: str) -> str:
    """Return the BSN as 9 digits, or raise :class:`InvalidIdentifier`.

    Spaces and dots are accepted because the BSN is often written as ``1112.22.333``. An 8-digit number is
    padded with a leading zero, because old sofinummers and some registrations drop it. The 11-proef is
    checked with python-stdnum so this module does not carry its own copy of the weights.
    """
    text = _BSN_SEPARATORS.sub("", _text(value, "bsn", "BSN"))
    if not ascii_digits(text):
        raise InvalidIdentifier("bsn.invalid_format", "Een BSN bestaat alleen uit cijfers.")
    if len(text) not in (8, 9):
        raise InvalidIdentifier("bsn.invalid_length", "Een BSN bestaat uit 9 cijfers.")
    number = text.zfill(9)
    try:
        return stdnum_bsn.validate(number)
    except InvalidChecksum:
        raise InvalidIdentifier(
            "bsn.invalid_checksum", "Dit BSN klopt niet (de elfproef faalt); controleer de cijfers."
        ) from None
    except ValidationError:
        # Only 000000000 gets here: digits and length are checked above.
        raise InvalidIdentifier("bsn.invalid_format", "Dit is geen geldig BSN.") from None


def is_valid_bsn(value: object) -> bool:
    """True when :func:`normalize_bsn` accepts the value."""
    try:
        normalize_bsn(value)
    except InvalidIdentifier:
        return False
    return True


# --- BRIN ---------------------------------------------------------------------------------------------------


def normalize_brin(value: str, require_vestiging: bool = True) -> str:
    """Return the BRIN upper-cased without separators (``07NU00``), or raise :class:`InvalidIdentifier`.

    A case, a step and an outcome point at one school *vestiging* (location), so by default the 2-digit
    vestiging suffix is required. Only where the whole institution is meant (the 4-character BRIN, ``07NU``)
    may a caller pass ``require_vestiging=False``.
    """
    text = _text(value, "brin", "BRIN-code")
    try:
        code = stdnum_brin.validate(text)
    except ValidationError:
        expected = "07NU00" if require_vestiging else "07NU of 07NU00"
        raise InvalidIdentifier(
            "brin.invalid_format",
            f"Een BRIN-code bestaat uit 2 cijfers en 2 letters, gevolgd door 2 cijfers voor de vestiging "
            f"(bijvoorbeeld {expected}).",
        ) from None
    if require_vestiging and len(code) != 6:
        raise InvalidIdentifier(
            "brin.vestiging_required",
            "Vul de BRIN-code van de vestiging in: de 4 tekens van de school plus 2 cijfers "
            "(bijvoorbeeld 07NU00).",
        )
    return code


def is_valid_brin(value: object, require_vestiging: bool = True) -> bool:
    """True when :func:`normalize_brin` accepts the value with the same ``require_vestiging``."""
    try:
        normalize_brin(value, require_vestiging=require_vestiging)
    except InvalidIdentifier:
        return False
    return True


# --- Samenwerkingsverband -----------------------------------------------------------------------------------

_SWV_RE = re.compile(r"(PO|VO)(\d{2})-(\d{2})")


def normalize_swv_code(value: str) -> str:
    """Return the swv code as ``PO 20-01`` / ``VO 20-01``, or raise :class:`InvalidIdentifier`.

    People type ``po20-01`` or ``PO  20-01``; the canonical form has the sector in capitals and exactly one
    space, which is how DUO and the inspectie publish it.
    """
    text = re.sub(r"\s+", "", _text(value, "swv", "code van het samenwerkingsverband")).upper()
    match = _SWV_RE.fullmatch(text)
    if not match:
        raise InvalidIdentifier(
            "swv.invalid_format",
            "Een code van een samenwerkingsverband is PO of VO, een spatie en dan 2 cijfers, een streepje en "
            "2 cijfers (bijvoorbeeld PO 20-01).",
        )
    sector, region, number = match.groups()
    return f"{sector} {region}-{number}"


def is_valid_swv_code(value: object) -> bool:
    """True when :func:`normalize_swv_code` accepts the value."""
    try:
        normalize_swv_code(value)
    except InvalidIdentifier:
        return False
    return True


# --- Gemeente -----------------------------------------------------------------------------------------------

_GEMEENTE_RE = re.compile(r"(?:GM)?(\d{4})")


def normalize_gemeente_code(value: str) -> str:
    """Return the CBS gemeente code as ``GM0363``, or raise :class:`InvalidIdentifier`.

    Accepted: ``GM0363`` in any case and the bare 4-digit number ``0363`` (how many municipal systems export
    it). A shortened number such as ``363`` is refused rather than padded: a dropped digit could point at
    another gemeente, and that decides which leerplichtambtenaar sees the case.
    """
    text = _text(value, "gemeente", "gemeentecode").strip().upper()
    match = _GEMEENTE_RE.fullmatch(text)
    if not match or match.group(1) == "0000":
        raise InvalidIdentifier(
            "gemeente.invalid_format",
            "Een gemeentecode is GM gevolgd door 4 cijfers (bijvoorbeeld GM0363).",
        )
    return f"GM{match.group(1)}"


def is_valid_gemeente_code(value: object) -> bool:
    """True when :func:`normalize_gemeente_code` accepts the value."""
    try:
        normalize_gemeente_code(value)
    except InvalidIdentifier:
        return False
    return True


# --- E-mail address -----------------------------------------------------------------------------------------

EMAIL_MAX_LENGTH = 254
_EMAIL_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def normalize_email(value: str) -> str:
    """Return the address as the mailer sends it (ASCII, lower case), or raise :class:`InvalidIdentifier`.

    The one check for every address the product stores or sends to (users, swv's, the outbox). The syntax is
    checked by email-validator (RFC 5321/5322, no DNS look-up). A line break, space or other control character
    inside is refused: in a mail header it would end the header and let the rest pass as headers or stall
    delivery. Surrounding whitespace is dropped. An internationalised domain is stored in its ASCII (punycode)
    form, and a non-ASCII local part is refused, because the mailer does not rely on SMTPUTF8.
    """
    text = _text(value, "email", "e-mailadres").strip()
    if _EMAIL_WHITESPACE_OR_CONTROL.search(text):
        raise InvalidIdentifier("email.whitespace",
                                "Een e-mailadres bevat geen spaties, regeleinden of andere onzichtbare tekens.")
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidIdentifier("email.invalid", "Vul een geldig e-mailadres in, zoals naam@school.nl.") from None
    address = (checked.ascii_email or checked.normalized).lower()
    if len(address) > EMAIL_MAX_LENGTH:
        raise InvalidIdentifier("email.too_long", f"Een e-mailadres heeft hoogstens {EMAIL_MAX_LENGTH} tekens.")
    return address


def is_valid_email(value: object) -> bool:
    try:
        normalize_email(value)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


# --- Person names -------------------------------------------------------------------------------------------
# A right-to-left override (U+202E) makes "Ali\u202eeoJ" display as "AliJoe"; a zero-width space makes two names
# that look the same differ, so a search or a sort finds the wrong pupil. Names are cleaned once, where they enter
# (the case and account services, so every form, the API and the command line share it), rather than escaped at
# every place they are shown (pages, PDF, exports, mails).

# Unicode general categories that never belong in a name: format characters (Cf: bidi embeddings, overrides and
# isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, tag characters) and control
# characters (Cc). Line breaks, tabs and other spacing (also U+2028/U+2029) become one plain space.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})
_WHITESPACE_RUN = re.compile(r"\s+")


def clean_person_name(value: str) -> str:
    """The name without invisible format and control characters, in NFC, with single spaces, trimmed.

    Letters, combining marks, apostrophes, hyphens and spaces of every script stay as typed. An empty result is
    left to the caller's "required" check, so a name of only invisible characters gets the usual message.
    """
    composed = unicodedata.normalize("NFC", value)
    visible = "".join(char for char in composed
                      if char.isspace() or unicodedata.category(char) not in _INVISIBLE_CATEGORIES)
    return _WHITESPACE_RUN.sub(" ", visible).strip()


# --- Phone numbers ------------------------------------------------------------------------------------------
# Which numbers exist (lengths, area codes, mobile ranges, per country) is libphonenumber's knowledge, through the
# `phonenumbers` package (its lite edition: the numbering plans without the geocoding and carrier data). A number
# without a country code is Dutch.

PHONE_REGION = "NL"
PHONE_MAX_LENGTH = 40  # as typed: "+31 (0)20 - 123 45 67" and a little more; longer is no phone number
_PHONE_CHARACTERS = re.compile(r"[0-9+()\-. /]+")  # [0-9] is ASCII only in re


def normalize_phone(value: str) -> str:
    """The number in E.164 (``+31201234567``), or raise :class:`InvalidIdentifier`.

    Digits, spaces and ``+ ( ) - . /`` may be typed; letters, an extension or a number that does not exist in its
    country's numbering plan (too short, an unused area code) are refused.
    """
    text = _text(value, "phone", "telefoonnummer").strip()
    if len(text) > PHONE_MAX_LENGTH or not _PHONE_CHARACTERS.fullmatch(text):
        raise InvalidIdentifier("phone.invalid", "Vul een telefoonnummer in met alleen cijfers, zoals 06 12345678 "
                                                 "of +32 470 12 34 56.")
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("phone.unknown_number", "Dit telefoonnummer bestaat niet. Controleer het aantal "
                                                        "cijfers en het netnummer, bijvoorbeeld 020 123 4567.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A stored number as a Dutch reader dials it: ``020 123 4567`` at home, ``+32 470 12 34 56`` abroad."""
    try:
        number = phonenumbers.parse(e164, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Letters that Unicode does not decompose into a base letter and a mark, folded by hand as a Dutch reader would
# type them on a keyboard without them (Łukasz -> lukasz, Ærøe -> aeroe, Yılmaz -> yilmaz).
_FOLDED_LETTERS = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "đ": "d", "ð": "d",
                                 "þ": "th", "ħ": "h", "ŀ": "l", "ŧ": "t", "ŋ": "n", "ĸ": "k",
                                 # typographic apostrophes and hyphens as typed on a keyboard
                                 "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def search_key(value: str) -> str:
    """``value`` as search compares it: clean (as ``clean_person_name``), case-folded, without accents.

    The stored key of a pupil (its first and last name) and the words a user searches for are folded by this one
    function, so they always compare like with like: ``Öztürk`` -> ``ozturk``, ``Zoë`` -> ``zoe``, ``STRAßE`` ->
    ``strasse``. Apostrophes, hyphens and spaces stay.
    """
    folded = unicodedata.normalize("NFKD", clean_person_name(value).casefold())
    bare = "".join(char for char in folded if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.translate(_FOLDED_LETTERS))
