import pytest
from django.core.exceptions import ValidationError

from patients.validators import normalize_icd10cm_code, validate_icd10cm_code, validate_npi


@pytest.mark.parametrize("npi", ["1234567893", "1245319599"])
def test_npi_with_correct_check_digit_is_accepted(npi):
    # 1234567893: CMS's worked example (prefix 80840, Luhn over 80840123456789 gives 3).
    validate_npi(npi)


@pytest.mark.parametrize(
    ("npi", "code"),
    [("1234567890", "npi_check_digit"), ("123456789", "npi_format"), ("12345678a3", "npi_format")],
)
def test_npi_with_wrong_check_digit_or_shape_is_refused(npi, code):
    with pytest.raises(ValidationError) as refused:
        validate_npi(npi)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("typed", "dotted"), [("m5450", "M54.50"), (" M54.50 ", "M54.50"), ("z96641", "Z96.641"), ("I10", "I10")]
)
def test_icd_codes_are_normalized_to_their_printed_form(typed, dotted):
    assert normalize_icd10cm_code(typed) == dotted


@pytest.mark.parametrize("code", ["M54.50", "Z96.641", "S72.001A", "I10"])
def test_billable_icd_codes_are_accepted(code):
    validate_icd10cm_code(code)


def test_unknown_icd_code_is_refused():
    with pytest.raises(ValidationError, match=r"XYZ\.12 is not an ICD-10-CM code"):
        validate_icd10cm_code("XYZ.12")


def test_category_code_is_refused_with_its_billable_children_named():
    with pytest.raises(ValidationError) as refused:
        validate_icd10cm_code("M54.5")
    message = refused.value.messages[0]
    assert "not a billable code" in message
    assert "M54.50" in message
