"""Start-up checks of the clinic's evaluation settings: a wrong value stops `runserver`, `check`
and `migrate` with a message naming the setting and what it may be, instead of surfacing later
as a wrong score."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from evaluations.instruments.scoring import CHAIR_STAND_TABLES, PAIN_SCHEMES

GRIP_SCORES = ("mean", "best")
IMBALANCE_KEYS = ("mmt_steps", "rom_degrees", "grip_percent")


def check_evaluation_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.GRIP_SCORE not in GRIP_SCORES:
        errors.append(
            Error(
                f"GRIP_SCORE is {settings.GRIP_SCORE!r}; it must be one of {', '.join(GRIP_SCORES)}.",
                hint="mean: the mean of the trials (Mathiowetz 1985 protocol); best: the best trial.",
                id="evaluations.E001",
            )
        )
    if settings.PAIN_BANDS not in PAIN_SCHEMES:
        errors.append(
            Error(
                f"PAIN_BANDS is {settings.PAIN_BANDS!r}; it must be one of {', '.join(PAIN_SCHEMES)}.",
                hint="The NRS-11 band schemes of the instrument reference; cpa is the default.",
                id="evaluations.E004",
            )
        )
    if settings.CHAIR_STAND_TABLE not in CHAIR_STAND_TABLES:
        errors.append(
            Error(
                f"CHAIR_STAND_TABLE is {settings.CHAIR_STAND_TABLE!r}; it must be 1999 or 2013.",
                hint="Rikli & Jones' normal ranges: the 1999 table or the 2013 manual's.",
                id="evaluations.E005",
            )
        )
    thresholds = settings.IMBALANCE_THRESHOLDS
    if not isinstance(thresholds, dict) or set(thresholds) != set(IMBALANCE_KEYS):
        errors.append(
            Error(
                f"IMBALANCE_THRESHOLDS must have exactly the keys {', '.join(IMBALANCE_KEYS)}.",
                id="evaluations.E002",
            )
        )
    else:
        for key, value in thresholds.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                errors.append(
                    Error(
                        f"IMBALANCE_THRESHOLDS[{key!r}] is {value!r}; it must be a positive number "
                        "(set IMBALANCE_MMT_STEPS, IMBALANCE_ROM_DEGREES, IMBALANCE_GRIP_PERCENT).",
                        id="evaluations.E003",
                    )
                )
    return errors
