"""Start-up checks of the clinic's registration settings."""

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from localflavor.us.us_states import STATE_CHOICES


def check_clinic_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    states = {code for code, _name in STATE_CHOICES}
    if settings.CLINIC_STATE not in states:
        errors.append(
            Error(
                f"CLINIC_STATE is {settings.CLINIC_STATE!r}; it must be a two-letter US state code such as NY.",
                id="patients.E001",
            )
        )
    wrong = [code for code in settings.CLINIC_AREA_CODES if not re.fullmatch(r"[2-9]\d\d", code)]
    if wrong or not settings.CLINIC_AREA_CODES:
        errors.append(
            Error(
                f"CLINIC_AREA_CODES must be three-digit North American area codes, comma-separated; "
                f"not {', '.join(wrong) or 'empty'}.",
                id="patients.E002",
            )
        )
    return errors
