"""Reading an evaluation as the services and pages do, for tests."""

from evaluations.interpretation import EvaluationRecord
from evaluations.selectors import fetch_record


def record_of(evaluation, by=None, **loading) -> EvaluationRecord:
    """The evaluation as stored now, every section loaded (or as `loading` says)."""
    return fetch_record(viewer=by or evaluation.therapist, public_id=evaluation.public_id, **loading)


def content_of(record: EvaluationRecord) -> dict[str, dict]:
    """Every section's content by its API key."""
    from evaluations.sections import SECTIONS

    return {section.api_key: record.content(section) for section in SECTIONS}
