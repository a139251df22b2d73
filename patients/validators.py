"""Checks for identifiers that come from outside the clinic: NPI, ICD-10-CM."""

import re
from datetime import date
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn

NPI_PATTERN = re.compile(r"^\d{10}$")
OLDEST_PLAUSIBLE_AGE_YEARS = 125


def validate_birth_date(value: date) -> None:
    """Not in the future, and not so far back that the year is surely a typo."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("Date of birth cannot be in the future."), code="future")
    if today.year - value.year > OLDEST_PLAUSIBLE_AGE_YEARS:
        raise ValidationError(
            _("Date of birth is more than %(years)s years ago; check the year.")
            % {"years": OLDEST_PLAUSIBLE_AGE_YEARS},
            code="implausible",
        )


def validate_npi(value: str) -> None:
    """A National Provider Identifier: ten digits whose last is a Luhn check digit
    computed with the card-issuer prefix 80840 (CMS, "Requirements for NPI check digit")."""
    if not NPI_PATTERN.match(value or ""):
        raise ValidationError(_("An NPI is exactly 10 digits."), code="npi_format")
    if not luhn.is_valid("80840" + value):
        raise ValidationError(
            _("%(npi)s is not a valid NPI: its check digit does not match.") % {"npi": value},
            code="npi_check_digit",
        )


@cache
def _icd10cm():
    # The code set is loaded on first use (it takes about a second).
    import simple_icd_10_cm

    return simple_icd_10_cm


def normalize_icd10cm_code(code: str) -> str:
    """'m5450 ' -> 'M54.50': upper case, dotted as printed in the code set."""
    cleaned = re.sub(r"[\s.]", "", code or "").upper()
    if len(cleaned) > 3:
        cleaned = f"{cleaned[:3]}.{cleaned[3:]}"
    return cleaned


def describe_icd10cm(code: str) -> str:
    cm = _icd10cm()
    return cm.get_description(code) if cm.is_valid_item(code) else ""


def validate_icd10cm_code(code: str) -> None:
    """A billable ICD-10-CM code: present in the code set and with no more specific code below it."""
    cm = _icd10cm()
    if not re.match(r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$", code) or not cm.is_valid_item(code):
        raise ValidationError(
            _("%(code)s is not an ICD-10-CM code.") % {"code": code}, code="icd10cm_unknown"
        )
    if not cm.is_leaf(code):
        more_specific = ", ".join(cm.get_children(code)[:6])
        raise ValidationError(
            _(
                "%(code)s (%(label)s) is a category, not a billable code; choose a more specific one: %(children)s…"
            )
            % {"code": code, "label": cm.get_description(code), "children": more_specific},
            code="icd10cm_not_billable",
        )


def validate_icd10cm_codes(codes) -> None:
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValidationError(_("Diagnoses must be a list of ICD-10-CM codes."), code="invalid")
    errors = []
    for code in codes:
        try:
            validate_icd10cm_code(code)
        except ValidationError as error:
            errors.extend(error.messages)
    if len(set(codes)) != len(codes):
        errors.append(_("Each diagnosis may be listed only once."))
    if len(codes) > 12:
        errors.append(_("At most 12 diagnoses may be recorded."))
    if errors:
        raise ValidationError(errors)
