"""The read model: what fetch_record loads, what it refuses, and how derived values behave."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations.interpretation import NotLoaded
from evaluations.models import Evaluation, RangeOfMotionMeasurement
from evaluations.sections import ASSESSMENT_AND_PLAN, MUSCLE_IMBALANCE, PHYSICAL
from evaluations.selectors import fetch_record, list_evaluations, patient_history
from evaluations.services import save_sections, start_evaluation
from occupations.models import JointMotion
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed
from tests.factories import EvaluationFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents=as_sections(full_content(evaluation.date_of_service)),
    )
    return evaluation


def rom(degrees):
    return {
        "joint_motion": JointMotion.objects.get(code="shoulder_flexion"),
        "side": "left",
        "degrees": degrees,
    }


def test_a_record_holds_only_the_sections_asked_for(therapist, recorded, django_assert_num_queries):
    with django_assert_num_queries(1 + len({rows.related_name for rows in PHYSICAL.rows})):
        record = fetch_record(
            viewer=therapist, public_id=recorded.public_id, sections=(PHYSICAL,), addenda=False
        )
    assert record.grip and record.range_of_motion
    with pytest.raises(NotLoaded):
        record.pain_points  # noqa: B018  (the read itself is what is tested)
    with pytest.raises(NotLoaded):
        record.content(MUSCLE_IMBALANCE)
    with pytest.raises(NotLoaded):
        record.cpt  # noqa: B018  (deficits need every section they come from)
    # A score per row needs only the row: the loaded rows are scored, nothing is queried.
    with django_assert_num_queries(0):
        assert {key for key, _pk in record.scores} == {"range_of_motion", "grip", "pinch"}


def test_derived_values_are_computed_once_and_again_after_a_save(
    therapist, recorded, django_assert_num_queries
):
    record = record_of(recorded, therapist)
    with django_assert_num_queries(0):
        first = record.scores
        assert record.scores is first
        assert record.cpt is record.cpt
    before = record.deficits
    saved = save_sections(record=record, by=therapist, contents={MUSCLE_IMBALANCE: {"pain_points": []}})
    assert saved is record  # current when read: saved in place, no second read
    assert not any(item.startswith("Pain") for item in record.deficits)
    assert any(item.startswith("Pain") for item in before)


def test_front_desk_may_know_an_evaluation_exists_but_not_read_it(front_desk, nobody, recorded):
    with pytest.raises(PermissionDenied):
        fetch_record(viewer=front_desk, public_id=recorded.public_id)
    with pytest.raises(Evaluation.DoesNotExist):
        fetch_record(viewer=nobody, public_id=recorded.public_id)
    assert not list_evaluations(viewer=nobody).exists()
    with pytest.raises(Evaluation.DoesNotExist):
        fetch_record(viewer=front_desk, public_id="2b1bd1a8-58f0-4d3e-9c3a-000000000000")


def test_the_baseline_and_the_history_come_with_the_record(therapist, patient):
    today = timezone.localdate()
    first = signed(therapist, patient, when=today - timedelta(weeks=8))
    second = signed(therapist, patient, when=today - timedelta(weeks=4))
    follow_up = start_evaluation(
        by=therapist, patient=patient, kind="re_evaluation", date_of_service=today, previous_evaluation=second
    )
    EvaluationFactory(therapist=therapist, patient=patient)  # a draft: never in the history
    record = fetch_record(viewer=therapist, public_id=follow_up.public_id, baseline=True, history=True)
    assert record.baseline.evaluation == second
    assert [row.pk for row in record.baseline.grip] == list(
        second.grip_measurements.order_by("id").values_list("pk", flat=True)
    )
    assert [past.evaluation for past in record.history] == [first, second]  # oldest first, signed only
    assert [
        past.evaluation
        for past in patient_history(viewer=therapist, patient=patient, up_to=first.date_of_service)
    ] == [first]


def test_a_record_read_before_another_save_is_read_again_not_written_over(therapist, recorded):
    stale = record_of(recorded, therapist, sections=(PHYSICAL,))
    save_sections(
        record=record_of(recorded, therapist),
        by=therapist,
        contents={PHYSICAL: {"range_of_motion": [rom(100)]}},
    )
    # No version to compare: the service sees the record is behind, reads it again under the lock,
    # and replaces the list as it is now (the 100° row), leaving no orphan behind.
    saved = save_sections(record=stale, by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(110)]}})
    assert saved is not stale
    assert list(
        RangeOfMotionMeasurement.objects.filter(evaluation=recorded).values_list("degrees", flat=True)
    ) == [110]
    assert [row.degrees for row in saved.range_of_motion] == [110]


def test_a_refused_save_leaves_the_record_as_stored(therapist, recorded):
    record = record_of(recorded, therapist)
    with pytest.raises(ValidationError):
        save_sections(
            record=record,
            by=therapist,
            contents={ASSESSMENT_AND_PLAN: {"assessment_summary": "Changed", "sessions_per_week": 99}},
        )
    stored = Evaluation.objects.get(pk=recorded.pk)
    assert (record.evaluation.assessment_summary, record.evaluation.sessions_per_week) == (
        stored.assessment_summary,
        stored.sessions_per_week,
    )


def test_another_therapist_reads_but_cannot_write_through_a_record(recorded):
    other = TherapistFactory()
    record = record_of(recorded, other)
    with pytest.raises(PermissionDenied):
        save_sections(record=record, by=other, contents={PHYSICAL: {"range_of_motion": []}})
