"""The sample evaluation (evaluations.sample) in the form the services take: catalogue entries
as rows, by section API key; `as_sections` keys it by section for save_sections."""

from datetime import date

from evaluations.sample import resolve_codes, sample_evaluation
from evaluations.sections import SECTIONS_BY_KEY


def full_content(date_of_service: date, **variant) -> dict:
    return resolve_codes(sample_evaluation(date_of_service, **variant))


def as_sections(content: dict) -> dict:
    return {SECTIONS_BY_KEY[key]: value for key, value in content.items()}
