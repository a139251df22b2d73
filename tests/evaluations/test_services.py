import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from evaluations.models import (
    ActivityRating,
    Addendum,
    Evaluation,
    Goal,
    RangeOfMotionMeasurement,
    StrengthMeasurement,
)
from evaluations.sections import ADL_CHECKLIST, ASSESSMENT_AND_PLAN, IADL_CHECKLIST, PHYSICAL
from evaluations.services import (
    EvaluationNotSigned,
    EvaluationSigned,
    add_addendum,
    save_sections,
    sign_evaluation,
    start_evaluation,
)
from occupations.models import Activity, JointMotion, MuscleGroup
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import content_of, record_of
from tests.factories import EvaluationFactory, TherapistFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def completed(draft, therapist):
    return save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents=as_sections(full_content(draft.date_of_service)),
    ).evaluation


def test_starting_an_evaluation_makes_a_draft_with_an_empty_profile(therapist, patient):
    evaluation = start_evaluation(by=therapist, patient=patient, date_of_service=timezone.localdate())

    assert (evaluation.status, evaluation.therapist, evaluation.kind) == ("draft", therapist, "initial")
    assert evaluation.profile.reason_for_therapy == ""
    event = AuditEvent.objects.get(action="create", record_type="evaluations.evaluation")
    assert event.patient_public_id == patient.public_id


def test_front_desk_cannot_start_an_evaluation(front_desk, patient):
    with pytest.raises(PermissionDenied):
        start_evaluation(by=front_desk, patient=patient, date_of_service=timezone.localdate())
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date_of_service": datetime.date(2999, 1, 1)}, "date_of_service"),
        ({"date_of_service": datetime.date(1950, 1, 1)}, "date_of_service"),
        ({"kind": "re_evaluation"}, "previous_evaluation"),
    ],
)
def test_bad_start_is_refused(therapist, patient, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        start_evaluation(by=therapist, patient=patient, **{"date_of_service": timezone.localdate(), **kwargs})
    assert field in refused.value.message_dict
    assert not Evaluation.objects.exists()


def test_every_section_round_trips_through_the_service(draft, therapist):
    completed(draft, therapist)

    content = content_of(record_of(draft, therapist))

    assert content["profile"]["hand_dominance"] == "right"
    assert [(r.muscle_group.code, r.side, r.grade) for r in content["physical_function"]["strength"]] == [
        ("hip_abductors", "right", "3+"),
        ("hip_abductors", "left", "4+"),
    ]
    assert content["physical_function"]["grip"][0].trials == [22.5, 23.0, 22.0]
    assert [r.activity.code for r in content["adl_checklist"]["ratings"]] == ["dressing", "bathing_showering"]
    assert [r.activity.code for r in content["iadl_checklist"]["ratings"]] == ["cooking"]
    assert content["muscle_imbalance"]["pain_points"][0].intensity == 6
    assert content["assessment_and_plan"]["sessions_per_week"] == 2
    assert [g.term for g in content["assessment_and_plan"]["goals"]] == ["short_term", "long_term"]
    for section_key, section in content.items():
        for name, value in section.items():
            if isinstance(value, list):
                assert value, f"{section_key}.{name} is empty"


def test_saving_the_same_content_again_writes_nothing(draft, therapist):
    completed(draft, therapist)
    events = AuditEvent.objects.filter(action="update").count()
    strength_ids = list(StrengthMeasurement.objects.values_list("id", flat=True))

    completed(draft, therapist)

    assert AuditEvent.objects.filter(action="update").count() == events
    assert list(StrengthMeasurement.objects.values_list("id", flat=True)) == strength_ids


def test_saving_the_adl_checklist_leaves_the_iadl_checklist_alone(draft, therapist):
    completed(draft, therapist)
    toileting = Activity.objects.get(code="toileting")

    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents={ADL_CHECKLIST: {"ratings": [{"activity": toileting, "assist_level": "independent"}]}},
    )

    codes = sorted(ActivityRating.objects.values_list("activity__code", flat=True))
    assert codes == ["cooking", "toileting"]
    event = AuditEvent.objects.filter(action="update").latest("id")
    assert event.changed_fields == ["adl_checklist.ratings"]


def test_an_adl_cannot_be_rated_on_the_iadl_checklist(draft, therapist):
    with pytest.raises(ValidationError) as refused:
        save_sections(
            record=record_of(draft, therapist),
            by=therapist,
            contents={
                IADL_CHECKLIST: {
                    "ratings": [
                        {"activity": Activity.objects.get(code="dressing"), "assist_level": "independent"}
                    ]
                }
            },
        )
    assert "iadl_checklist.ratings.0.activity" in refused.value.message_dict


def rom(degrees, motion="shoulder_flexion"):
    return {
        "joint_motion": JointMotion.objects.get(code=motion),
        "side": "left",
        "mode": "active",
        "degrees": degrees,
    }


def strength(grade):
    return {"muscle_group": MuscleGroup.objects.get(code="hip_flexors"), "side": "left", "grade": grade}


def goal(target_on):
    return {"term": "long_term", "description": "Walks to the mailbox independently.", "target_on": target_on}


INVALID = {
    "rom over the motion's bound": (
        lambda: {PHYSICAL: {"range_of_motion": [rom(90), rom(400)]}},
        "physical_function.range_of_motion.1.degrees",
    ),
    "negative rom": (
        lambda: {PHYSICAL: {"range_of_motion": [rom(-20)]}},
        "physical_function.range_of_motion.0.degrees",
    ),
    "mmt grade off the scale": (
        lambda: {PHYSICAL: {"strength": [strength("6")]}},
        "physical_function.strength.0.grade",
    ),
    "plus grade on the MRC scale": (
        lambda: {PHYSICAL: {"mmt_scale": "mrc", "strength": [strength("4+")]}},
        "physical_function.strength.0.grade",
    ),
    "negative grip": (
        lambda: {PHYSICAL: {"grip": [{"hand": "left", "trial_1_kg": "-3"}]}},
        "physical_function.grip.0.trial_1_kg",
    ),
    "same hand twice": (
        lambda: {
            PHYSICAL: {"grip": [{"hand": "left", "trial_1_kg": "20"}, {"hand": "left", "trial_1_kg": "21"}]}
        },
        "physical_function.grip.1.hand",
    ),
    "goal without a target date": (
        lambda: {ASSESSMENT_AND_PLAN: {"goals": [goal(None)]}},
        "assessment_and_plan.goals.0.target_on",
    ),
    "goal dated in the past": (
        lambda: {ASSESSMENT_AND_PLAN: {"goals": [goal(datetime.date(2000, 1, 1))]}},
        "assessment_and_plan.goals.0.target_on",
    ),
    "same muscle and side twice": (
        lambda: {PHYSICAL: {"strength": [strength("4"), strength("2")]}},
        "physical_function.strength.1.muscle_group",
    ),
    "strength with no side": (
        lambda: {PHYSICAL: {"strength": [{**strength("4"), "side": "none"}]}},
        "physical_function.strength.0.side",
    ),
    "a limb at the midline": (
        lambda: {PHYSICAL: {"strength": [{**strength("4"), "side": "midline"}]}},
        "physical_function.strength.0.side",
    ),
    "goal in the far future": (
        lambda: {ASSESSMENT_AND_PLAN: {"goals": [goal(datetime.date(9999, 12, 31))]}},
        "assessment_and_plan.goals.0.target_on",
    ),
    "eight sessions a week": (
        lambda: {ASSESSMENT_AND_PLAN: {"sessions_per_week": 9}},
        "assessment_and_plan.sessions_per_week",
    ),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_values_are_refused_and_nothing_is_saved(draft, therapist, case):
    make_contents, key = INVALID[case]
    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(120)]}}
    )

    with pytest.raises(ValidationError) as refused:
        save_sections(record=record_of(draft, therapist), by=therapist, contents=make_contents())

    assert key in refused.value.message_dict, refused.value.message_dict
    assert list(RangeOfMotionMeasurement.objects.values_list("degrees", flat=True)) == [120]
    assert not StrengthMeasurement.objects.exists() and not Goal.objects.exists()
    draft.refresh_from_db()
    assert (draft.mmt_scale, draft.sessions_per_week) == ("kendall", None)


def test_another_therapist_cannot_edit_the_draft(draft):
    with pytest.raises(PermissionDenied):
        save_sections(
            record=record_of(draft),
            by=TherapistFactory(),
            contents={PHYSICAL: {"range_of_motion": [rom(120)]}},
        )
    assert not RangeOfMotionMeasurement.objects.exists()


def test_signing_needs_the_password_and_a_complete_record(draft, therapist):
    with pytest.raises(ValidationError) as incomplete:
        sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)
    assert "Why the person is seeking therapy" in str(incomplete.value)

    completed(draft, therapist)
    with pytest.raises(ValidationError) as wrong:
        sign_evaluation(record=record_of(draft, therapist), by=therapist, password="nope")
    assert "password" in wrong.value.message_dict
    draft.refresh_from_db()
    assert draft.status == "draft"

    signed = sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD).evaluation
    assert (signed.status, signed.signed_by) == ("signed", therapist)
    assert AuditEvent.objects.filter(action="sign", actor=therapist).count() == 1


def test_another_therapist_cannot_sign(draft, therapist):
    completed(draft, therapist)
    other = TherapistFactory()
    with pytest.raises(PermissionDenied):
        sign_evaluation(record=record_of(draft, other), by=other, password=PASSWORD)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_signed_evaluation_never_changes_but_takes_addenda(draft, therapist):
    completed(draft, therapist)
    sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)

    with pytest.raises(EvaluationSigned):
        save_sections(
            record=record_of(draft, therapist),
            by=therapist,
            contents={PHYSICAL: {"range_of_motion": [rom(100)]}},
        )
    with pytest.raises(EvaluationSigned):
        sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)

    addendum = add_addendum(evaluation=draft, by=therapist, text="Pain was 6/10 at rest, not on movement.")
    assert addendum.author == therapist
    assert list(RangeOfMotionMeasurement.objects.values_list("degrees", flat=True)) == [85]


def test_drafts_take_no_addenda(draft, therapist):
    with pytest.raises(EvaluationNotSigned):
        add_addendum(evaluation=draft, by=therapist, text="x")
    assert not Addendum.objects.exists()


def test_a_re_evaluation_links_its_baseline_and_starts_from_its_profile(draft, therapist, patient):
    completed(draft, therapist)
    sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)

    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind="re_evaluation",
        date_of_service=timezone.localdate(),
        previous_evaluation=draft,
    )

    assert follow_up.previous_evaluation == draft
    assert follow_up.profile.reason_for_therapy.startswith("Right hip pain")


def test_a_draft_cannot_be_a_baseline(draft, therapist, patient):
    with pytest.raises(ValidationError) as refused:
        start_evaluation(
            by=therapist,
            patient=patient,
            kind="re_evaluation",
            date_of_service=timezone.localdate(),
            previous_evaluation=draft,
        )
    assert "previous_evaluation" in refused.value.message_dict


def test_every_change_is_kept_in_history(draft, therapist):
    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(100)]}}
    )
    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(110)]}}
    )

    history = RangeOfMotionMeasurement.history.order_by("history_id")
    assert [(h.history_type, h.degrees, h.history_user) for h in history] == [
        ("+", 100, therapist),
        ("-", 100, therapist),
        ("+", 110, therapist),
    ]


def test_a_retired_entry_already_on_a_draft_can_stay(draft, therapist):
    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(100)]}}
    )
    JointMotion.objects.filter(code="shoulder_flexion").update(is_active=False)

    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"range_of_motion": [rom(105)]}}
    )

    assert list(RangeOfMotionMeasurement.objects.values_list("degrees", flat=True)) == [105]


def test_a_retired_entry_is_refused_on_a_draft_that_never_had_it(draft, therapist):
    JointMotion.objects.filter(code="shoulder_flexion").update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        save_sections(
            record=record_of(draft, therapist),
            by=therapist,
            contents={PHYSICAL: {"range_of_motion": [rom(100)]}},
        )
    assert "retired" in refused.value.message_dict["physical_function.range_of_motion.0.joint_motion"][0]
    assert not RangeOfMotionMeasurement.objects.exists()


def test_an_initial_evaluation_takes_no_baseline(draft, therapist, patient):
    completed(draft, therapist)
    sign_evaluation(record=record_of(draft, therapist), by=therapist, password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        start_evaluation(
            by=therapist,
            patient=patient,
            kind="initial",
            date_of_service=timezone.localdate(),
            previous_evaluation=draft,
        )
    assert "previous_evaluation" in refused.value.message_dict


@pytest.mark.parametrize(
    ("test_code", "side", "value", "message"),
    [
        ("chair_stand_30s", "none", "10.5", "whole number"),
        ("timed_up_and_go", "none", "0", "more than 0"),
        ("ruler_drop", "left", "0", "more than 0"),
    ],
)
def test_counted_tests_take_whole_numbers_and_timed_tests_more_than_zero(
    draft, therapist, test_code, side, value, message
):
    from evaluations.sections import NEUROMUSCULAR
    from occupations.models import NeuromuscularTest

    row = {"test": NeuromuscularTest.objects.get(code=test_code), "side": side, "value": value}
    with pytest.raises(ValidationError) as refused:
        save_sections(
            record=record_of(draft, therapist), by=therapist, contents={NEUROMUSCULAR: {"tests": [row]}}
        )
    assert message in refused.value.message_dict["neuromuscular_function.tests.0.value"][0]
