"""What a user typing a BSN, BRIN, swv or gemeente code sees accepted, normalised or refused."""

import pytest

from thuiszitters.identifiers import (
    InvalidIdentifier,
    is_valid_brin,
    is_valid_bsn,
    is_valid_gemeente_code,
    is_valid_swv_code,
    normalize_brin,
    normalize_bsn,
    normalize_gemeente_code,
    normalize_swv_code,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("111222333", "111222333"),
        ("1112.22.333", "111222333"),  # how the BSN is printed on documents
        (" 111 222 333 ", "111222333"),
        ("123456782", "123456782"),
        ("12345672", "012345672"),  # leading zero dropped by the source system
    ],
)
def test_valid_bsn_is_stored_as_nine_digits(typed: str, stored: str) -> None:
    assert normalize_bsn(typed) == stored
    assert is_valid_bsn(typed)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("123456789", "bsn.invalid_checksum"),
        ("111222334", "bsn.invalid_checksum"),
        ("1112223334", "bsn.invalid_length"),
        ("1234567", "bsn.invalid_length"),
        ("11122233A", "bsn.invalid_format"),
        ("111-222-333", "bsn.invalid_format"),
        ("000000000", "bsn.invalid_format"),
        ("", "bsn.empty"),
        ("   ", "bsn.empty"),
    ],
)
def test_invalid_bsn_is_refused_with_a_dutch_message(typed: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        normalize_bsn(typed)
    assert excinfo.value.code == code
    assert "BSN" in excinfo.value.message or "elfproef" in excinfo.value.message
    assert isinstance(excinfo.value, ValueError)
    assert not is_valid_bsn(typed)


def test_is_valid_bsn_is_false_for_a_missing_value() -> None:
    assert not is_valid_bsn(None)


@pytest.mark.parametrize(
    ("typed", "require_vestiging", "stored"),
    [
        ("07NU00", True, "07NU00"),
        ("07nu00", True, "07NU00"),
        (" 07NU 00 ", True, "07NU00"),
        ("07NU", False, "07NU"),
        ("07nu01", False, "07NU01"),
    ],
)
def test_valid_brin_is_stored_upper_case(typed: str, require_vestiging: bool, stored: str) -> None:
    assert normalize_brin(typed, require_vestiging=require_vestiging) == stored
    assert is_valid_brin(typed, require_vestiging=require_vestiging)


@pytest.mark.parametrize(
    ("typed", "require_vestiging", "code"),
    [
        ("07NU", True, "brin.vestiging_required"),  # a school, not one of its locations
        ("07NU0", True, "brin.invalid_format"),
        ("07NU0A", True, "brin.invalid_format"),
        ("7NU00", False, "brin.invalid_format"),
        ("0ANU00", True, "brin.invalid_format"),
        ("07N100", True, "brin.invalid_format"),
        ("07NU000", True, "brin.invalid_format"),
        ("", True, "brin.empty"),
    ],
)
def test_invalid_brin_is_refused(typed: str, require_vestiging: bool, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        normalize_brin(typed, require_vestiging=require_vestiging)
    assert excinfo.value.code == code
    assert "BRIN" in excinfo.value.message
    assert not is_valid_brin(typed, require_vestiging=require_vestiging)


def test_brin_requires_a_vestiging_by_default() -> None:
    assert not is_valid_brin("07NU")
    assert normalize_brin("07NU00") == "07NU00"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("PO 20-01", "PO 20-01"),
        ("po20-01", "PO 20-01"),
        ("VO  20-01", "VO 20-01"),
        (" vo 27-05 ", "VO 27-05"),
        ("Po 20 - 01", "PO 20-01"),
    ],
)
def test_valid_swv_code_is_normalised(typed: str, stored: str) -> None:
    assert normalize_swv_code(typed) == stored
    assert is_valid_swv_code(typed)


@pytest.mark.parametrize(
    "typed",
    ["MBO 20-01", "PO 2001", "PO 20-1", "PO 200-01", "SO 20-01", "PO 20_01", "20-01", ""],
)
def test_invalid_swv_code_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        normalize_swv_code(typed)
    assert excinfo.value.code in {"swv.invalid_format", "swv.empty"}
    assert "samenwerkingsverband" in excinfo.value.message
    assert not is_valid_swv_code(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("GM0363", "GM0363"),
        ("gm0363", "GM0363"),
        ("0363", "GM0363"),
        (" GM0014 ", "GM0014"),
    ],
)
def test_valid_gemeente_code_is_stored_with_gm_prefix(typed: str, stored: str) -> None:
    assert normalize_gemeente_code(typed) == stored
    assert is_valid_gemeente_code(typed)


@pytest.mark.parametrize(
    "typed",
    ["gm363", "363", "GM03630", "GM 0363", "GX0363", "03 63", "GM0000", "Amsterdam", ""],
)
def test_invalid_gemeente_code_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        normalize_gemeente_code(typed)
    assert excinfo.value.code in {"gemeente.invalid_format", "gemeente.empty"}
    assert "gemeentecode" in excinfo.value.message
    assert not is_valid_gemeente_code(typed)
