"""A re-evaluation calls a change improved or declined only when it reaches the measure's
published measurement error (outcome-measures.md Part B); smaller changes are "no meaningful
change", and measures without a usable published value are shown but not interpreted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.instruments import measurement_error as error
from evaluations.instruments.measurement_error import Kind, NoThreshold, Status, Threshold
from evaluations.interpretation.progress import NOT_INTERPRETED, meaning
from evaluations.services import save_sections, start_evaluation
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.evaluations.test_report import pdf_text, signed
from tests.factories import TherapistFactory

# --- the data module -------------------------------------------------------------------------------


def test_every_threshold_names_its_source_section_and_mark():
    everything = [
        value for value in vars(error).values() if isinstance(value, Threshold | NoThreshold)
    ] + list(error.ROM.values())
    assert len(everything) > 15
    for threshold in everything:
        assert threshold.where.startswith(("outcome-measures.md", "instruments.md"))
        assert threshold.where in threshold.description
        if isinstance(threshold, Threshold):
            assert threshold.description.endswith(threshold.status.word)


@pytest.mark.parametrize("unverified", [error.PINCH, error.MMT_DEFAULT, error.LAWTON])
def test_a_value_the_reference_marks_unverified_never_interprets(unverified):
    assert not unverified.usable
    lookup = {
        error.PINCH: error.pinch(),
        error.LAWTON: error.scale("lawton_iadl"),
        error.MMT_DEFAULT: error.manual_muscle_test(),
    }[unverified]
    assert isinstance(lookup, NoThreshold)
    # even a change far beyond the unverified value is not called improved
    assert meaning(unverified.value * 10, lookup) == NOT_INTERPRETED


@pytest.mark.parametrize(
    ("code", "same", "degrees"),
    [
        ("shoulder_flexion", True, 10),
        ("shoulder_external_rotation", False, 20),
        ("hip_flexion", True, 10),
        ("hip_flexion", False, 20),
        ("knee_extension", True, 5),
        ("elbow_flexion", False, 10),
        ("wrist_ulnar_deviation", True, 5),
        ("ankle_dorsiflexion", False, 10),
    ],
)
def test_rom_error_is_the_joints_own(code, same, degrees):
    threshold = error.range_of_motion(code, same_therapist=same)
    assert isinstance(threshold, Threshold)
    assert (threshold.value, threshold.unit, threshold.kind) == (degrees, "°", Kind.DEFAULT)
    assert "§B3" in threshold.description and "policy" in threshold.description


@pytest.mark.parametrize(
    "code", ["forearm_pronation", "foot_inversion", "cervical_rotation", "thoracolumbar_flexion"]
)
def test_rom_of_a_joint_the_reference_does_not_name_is_not_interpreted(code):
    assert isinstance(error.range_of_motion(code, same_therapist=True), NoThreshold)
    assert meaning(30, error.range_of_motion(code, same_therapist=True)) == NOT_INTERPRETED


def test_the_published_values_the_reference_gives():
    assert (error.MOCA.value, error.MOCA.kind, error.MOCA.status) == (4, Kind.MDC, Status.CONFIRMED)
    assert (error.BARTHEL.value, error.BARTHEL.derived) == (20, True)
    assert error.CHAIR_STAND.value == 2.5
    assert error.timed_or_counted_test("timed_up_and_go", same_therapist=True).value == 1.1
    assert error.timed_or_counted_test("timed_up_and_go", same_therapist=False).value == 2.1
    assert error.grip().value == 5.0
    assert error.PAIN_NRS.value == error.COPM.value == 2
    assert isinstance(error.timed_or_counted_test("ruler_drop", same_therapist=True), NoThreshold)
    assert isinstance(error.scale("slums"), NoThreshold)


def test_meaning_at_and_around_the_threshold():
    grip = error.grip()
    assert meaning(0.8, grip) == "no meaningful change: within measurement error (product default 5 kg)"
    assert meaning(-4.9, grip) == "no meaningful change: within measurement error (product default 5 kg)"
    assert meaning(5.0, grip) == "improved"
    assert meaning(-5.0, grip) == "declined"
    assert meaning(0, grip) == "unchanged"
    # lower is better: a fall of 2 NRS points is an improvement, of 1 is under the important change
    assert meaning(-2, error.PAIN_NRS, higher_is_better=False) == "improved"
    assert (
        meaning(-1, error.PAIN_NRS, higher_is_better=False)
        == "no meaningful change: under the clinically important change 2 points"
    )


def test_the_nine_hole_peg_test_is_judged_on_percent_of_the_baseline_time():
    peg = error.timed_or_counted_test("nine_hole_peg", same_therapist=True)
    assert meaning(-4.0, peg, before=20.0, higher_is_better=False) == "improved"  # 20% faster
    assert meaning(-3.9, peg, before=20.0, higher_is_better=False).startswith("no meaningful change")
    assert meaning(+4.0, peg, before=20.0, higher_is_better=False) == "declined"


# --- on a re-evaluation --------------------------------------------------------------------------


def _re_evaluation(therapist, patient, *, by=None, change=None):
    by = by or therapist
    baseline = signed(therapist, patient, when=timezone.localdate() - timedelta(weeks=6))
    follow_up = start_evaluation(
        by=by,
        patient=patient,
        kind="re_evaluation",
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    content = full_content(follow_up.date_of_service)
    if change:
        change(content)
    save_sections(record=record_of(follow_up, by), by=by, contents=as_sections(content))
    return follow_up


def _small_changes(content):
    physical = content["physical_function"]
    physical["range_of_motion"][0]["degrees"] = 87  # hip flexion 85 -> 87
    physical["grip"][0].update(trial_1_kg="23.3", trial_2_kg="23.8", trial_3_kg="22.8")  # 22.5 -> 23.3
    physical["strength"][0]["grade"] = "4-"  # hip abductors right 3+ -> 4-: one step
    content["neuromuscular_function"]["tests"][0]["value"] = "13.60"  # TUG 14.2 -> 13.6 s
    content["muscle_imbalance"]["pain_points"][0]["intensity"] = 5  # 6 -> 5
    content["iadl_checklist"]["scales"][0]["total_score"] = 95  # Barthel 85 -> 95


@pytest.mark.django_db
def test_changes_within_measurement_error_are_not_called_improved(therapist, patient):
    follow_up = _re_evaluation(therapist, patient, change=_small_changes)
    changes = {c.measure: c for c in record_of(follow_up, therapist, baseline=True).progress.measures}

    rom = changes["Hip flexion (right, active)"]
    assert (rom.change, rom.meaning) == (
        "+2°",
        "no meaningful change: within measurement error (product default 10°)",
    )
    assert "same therapist, hip" in rom.threshold and "outcome-measures.md §B3, confirmed" in rom.threshold
    grip = changes["Grip (right)"]
    assert (grip.change, grip.meaning) == (
        "+0.8 kg",
        "no meaningful change: within measurement error (product default 5 kg)",
    )
    assert "§B1" in grip.threshold
    assert changes["Strength, hip abductors (right)"].change == "+1 grade steps"
    assert changes["Strength, hip abductors (right)"].meaning == NOT_INTERPRETED
    assert "(outcome-measures.md §B4)" in changes["Strength, hip abductors (right)"].threshold
    tug = changes["Timed Up and Go"]
    assert (tug.change, tug.meaning) == (
        "-0.6 s",
        "no meaningful change: within measurement error (product default 1.1 s)",
    )
    pain = changes["Pain, hip (right)"]
    assert (pain.change, pain.meaning) == (
        "-1 (-17%)",
        "no meaningful change: under the clinically important change 2 points",
    )
    barthel = changes["Barthel Index (0–100)"]
    assert (barthel.change, barthel.meaning) == (
        "+10",
        "no meaningful change: within measurement error (MDC 20 points)",
    )
    assert "Hsieh 2007" in barthel.threshold and "derived" in barthel.threshold
    assert changes["Pinch, tip (right)"].meaning == "unchanged"
    assert "unverified" in changes["Pinch, tip (right)"].threshold


@pytest.mark.django_db
def test_another_therapists_re_evaluation_uses_the_between_therapist_error(therapist, patient):
    colleague = TherapistFactory(username="ot2")

    def larger(content):
        content["physical_function"]["range_of_motion"][0]["degrees"] = 97  # +12°
        content["neuromuscular_function"]["tests"][0]["value"] = "12.80"  # -1.4 s

    follow_up = _re_evaluation(therapist, patient, by=colleague, change=larger)
    changes = {c.measure: c for c in record_of(follow_up, colleague, baseline=True).progress.measures}
    # Beyond the same-therapist error (10°, 1.1 s), within the between-therapist one (20°, 2.1 s).
    assert changes["Hip flexion (right, active)"].meaning.endswith("(product default 20°)")
    assert changes["Timed Up and Go"].meaning.endswith("(product default 2.1 s)")


@pytest.mark.django_db
def test_the_page_report_and_pdf_show_the_threshold_beside_the_change(page_client, therapist, patient):
    follow_up = _re_evaluation(therapist, patient, change=_small_changes)
    client = page_client(therapist)
    page = client.get(f"/evaluations/{follow_up.public_id}/").content.decode()
    report = client.get(f"/evaluations/{follow_up.public_id}/report/").content.decode()
    for html in (page, report):
        assert "Measurement error (source)" in html
        assert "within measurement error (product default 5 kg)" in html
        assert "outcome-measures.md §B1, confirmed" in html
    # (a draft's PDF, with its watermark font, extracts with NULs between the characters)
    text = pdf_text(client.get(f"/evaluations/{follow_up.public_id}/report.pdf")).replace("\x00", "")
    assert "Measurement error" in text and "§B1, confirmed" in text
