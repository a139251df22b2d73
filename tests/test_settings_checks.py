"""Clinic settings with a wrong value stop start-up with a message naming the setting."""

import os
import subprocess
import sys

import pytest

from evaluations.checks import check_evaluation_settings
from patients.checks import check_clinic_settings


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_shipped_settings_pass(settings):
    assert check_evaluation_settings() == []
    assert check_clinic_settings() == []


@pytest.mark.parametrize("value", ["median", "", "Mean"])
def test_grip_score_must_be_mean_or_best(settings, value):
    settings.GRIP_SCORE = value
    errors = check_evaluation_settings()
    assert ids(errors) == ["evaluations.E001"]
    assert "GRIP_SCORE" in errors[0].msg and "mean, best" in errors[0].msg


def test_imbalance_thresholds_are_the_three_positive_numbers(settings):
    settings.IMBALANCE_THRESHOLDS = {"mmt_steps": 3, "rom_degrees": 0, "grip_percent": -5}
    assert ids(check_evaluation_settings()) == ["evaluations.E003", "evaluations.E003"]
    settings.IMBALANCE_THRESHOLDS = {"mmt_steps": 3}
    assert ids(check_evaluation_settings()) == ["evaluations.E002"]


def test_clinic_state_and_area_codes(settings):
    settings.CLINIC_STATE = "XX"
    settings.CLINIC_AREA_CODES = ["716", "71"]
    errors = check_clinic_settings()
    assert ids(errors) == ["patients.E001", "patients.E002"]
    assert "71" in errors[1].msg


def test_manage_check_fails_on_a_wrong_setting_and_a_malformed_number():
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": "x", "GRIP_SCORE": "median"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0 and "evaluations.E001" in run.stderr
    env.update(GRIP_SCORE="mean", IMBALANCE_ROM_DEGREES="fifteen")
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0 and "IMBALANCE_ROM_DEGREES must be a whole number" in run.stderr
