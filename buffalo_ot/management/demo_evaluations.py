"""Demo evaluations that make a newcomer's clinic look lived in: signed ones with addenda,
a re-evaluation against its baseline, and drafts in progress. Made through the services,
so they obey every rule a real evaluation does."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from evaluations.interpretation import EvaluationRecord
from evaluations.models import Evaluation
from evaluations.sample import resolve_codes, sample_evaluation
from evaluations.sections import SECTIONS_BY_KEY
from evaluations.selectors import fetch_record
from evaluations.services import add_addendum, save_sections, sign_evaluation, start_evaluation
from patients.models import Patient
from patients.services import update_patient

DEMO_PASSWORD = "buffalo-demo-2026"  # noqa: S105  (the demo users' shared password)


# Standardized instruments scored item by item (the registry's items), as a therapist enters them.
BARTHEL_ITEMS = {  # 10 + 0 + 5 + 5 + 10 + 10 + 10 + 10 + 15 + 10 = 85
    "feeding": 10,
    "bathing": 0,
    "grooming": 5,
    "dressing": 5,
    "bowels": 10,
    "bladder": 10,
    "toilet_use": 10,
    "transfers": 10,
    "mobility": 15,
    "stairs": 10,
}
MOCA_DOMAINS = {  # 5 + 3 + 6 + 2 + 2 + 3 + 6 = 27
    "visuospatial_executive": 5,
    "naming": 3,
    "attention": 6,
    "language": 2,
    "abstraction": 2,
    "delayed_recall": 3,
    "orientation": 6,
}
LEFS_EARLY = (2, 1, 1, 3, 1, 0, 1, 2, 0, 1, 2, 0, 1, 1, 2, 0, 0, 0, 0, 2)  # 20/80
LEFS_LATER = (3, 2, 3, 4, 2, 1, 2, 3, 1, 3, 3, 1, 2, 3, 3, 0, 0, 0, 0, 3)  # 39/80


def _hip_replacement(
    date_of_service, *, code: str, change: str = "", lefs: tuple[int, ...] = LEFS_EARLY, **variant
) -> dict:
    """The sample evaluation (evaluations.sample) with the demo's fuller story: her history,
    both hips, a second goal area and the treatments, so the pages look like a real chart.
    Present comorbidities (hypertension, knee OA), expanded history, minimal-to-moderate help
    during the evaluation: moderate complexity, 97166 (a re-evaluation: 97168 with its change)."""
    content = sample_evaluation(
        date_of_service,
        cpt_comorbidities="present",
        cpt_assistance="minimal_to_moderate",
        cpt_code=code,
        documented_change=change,
        **variant,
    )
    content["profile"] |= {
        "barriers": "Posterior hip precautions; pain when sitting over 30 minutes.",
        "medical_history": "R total hip arthroplasty (posterior approach); hypertension; osteoarthritis L knee.",
        "living_situation": "Two-storey house, 3 steps to enter with a rail; tub-shower.",
        "prior_level_of_function": "Independent in all ADLs and IADLs; drove daily.",
    }
    physical = content["physical_function"]
    physical["strength"] += [
        {"muscle_group": "hip_extensors", "side": "right", "grade": "3", "notes": ""},
        {"muscle_group": "hip_extensors", "side": "left", "grade": "4", "notes": ""},
    ]
    physical["range_of_motion"].append(
        {
            "joint_motion": "hip_flexion",
            "side": "left",
            "mode": "active",
            "degrees": 115,
            "is_painful": False,
            "notes": "",
        }
    )
    content["occupational_inventory"]["roles"].append(
        {"role": "religious_participant", "status": "current", "importance": "very", "notes": "choir"}
    )
    content["adl_checklist"]["ratings"].append(
        {
            "activity": "functional_mobility",
            "assist_level": "modified_independent",
            "limited_by_pain": True,
            "limited_by_imbalance": True,
            "priority": "high",
            "notes": "car transfers",
        }
    )
    content["iadl_checklist"]["ratings"].append(
        {
            "activity": "transportation",
            "assist_level": "dependent",
            "limited_by_pain": True,
            "limited_by_imbalance": True,
            "priority": "high",
            "notes": "not yet cleared to drive",
        }
    )
    for rating in content["adl_checklist"]["ratings"]:
        if rating["activity"] == "dressing" and rating["assist_level"] == "moderate_assist":
            rating["helper_effort_pct"] = 40  # described: the helper does 40 % (Section GG 03)
    content["cognition"]["screens"] = [
        {"instrument": "moca", "items": MOCA_DOMAINS, "education_years": 16, "notes": ""}
    ]
    content["iadl_checklist"]["scales"] = [
        {"instrument": "barthel_index", "items": BARTHEL_ITEMS, "notes": ""},
        {
            "instrument": "lefs",
            "items": {f"item_{number:02d}": answer for number, answer in enumerate(lefs, start=1)},
            "notes": "",
        },
        {"instrument": "lawton_iadl", "total_score": 5, "notes": "total from the referral's paper form"},
    ]
    imbalance = content["muscle_imbalance"]
    imbalance["causes"].append({"cause": "sleeping_position", "notes": "always sleeps on the right"})
    imbalance["pain_points"].append(
        {
            "region": "lower_back",
            "side": "midline",
            "intensity": 3,
            "aggravating_factors": "standing at the stove",
            "notes": "",
        }
    )
    imbalance["affected_occupations"].append({"occupation": "lower_body_dressing", "notes": ""})
    content["assessment_and_plan"]["interventions"] += [
        {"intervention": "therapeutic_exercise", "notes": ""},
        {"intervention": "adaptive_equipment", "notes": "sock aid, reacher"},
    ]
    return resolve_codes(content)


def _record(evaluation: Evaluation, by: User) -> EvaluationRecord:
    return fetch_record(viewer=by, public_id=evaluation.public_id)


def _sections(content: dict) -> dict:
    return {SECTIONS_BY_KEY[key]: value for key, value in content.items()}


def seed_evaluations(*, therapist: User, colleague: User) -> int:
    """Evaluations for the first demo patients that have none yet. Returns how many were made."""
    today = timezone.localdate()
    # The story is a hip replacement in an older woman: pick demo patients it fits.
    patients = list(
        Patient.objects.active()
        .filter(
            phone__startswith="+1716555", sex="female", date_of_birth__lte=today - timedelta(days=62 * 365)
        )
        .order_by("mrn")[:4]
    )
    made = 0
    for index, patient in enumerate(patients):
        if patient.evaluations.exists():
            continue
        # The referral that goes with the story: right hip pain after a right hip replacement.
        update_patient(patient=patient, by=therapist, diagnosis_codes=["M25.551", "Z96.641"])
        if index == 0:  # signed initial with an addendum, then a signed re-evaluation showing progress
            initial = start_evaluation(
                by=therapist, patient=patient, date_of_service=today - timedelta(weeks=6)
            )
            save_sections(
                record=_record(initial, therapist),
                by=therapist,
                contents=_sections(
                    _hip_replacement(
                        initial.date_of_service,
                        abductor_right="3-",
                        pain=7,
                        dressing="moderate_assist",
                        tug="16.40",
                        code="97166",
                    )
                ),
            )
            initial = sign_evaluation(
                record=_record(initial, therapist), by=therapist, password=DEMO_PASSWORD
            ).evaluation
            add_addendum(
                evaluation=initial,
                by=therapist,
                text="Late entry: patient reports using a reacher at home since discharge.",
            )
            follow_up = start_evaluation(
                by=therapist,
                patient=patient,
                kind="re_evaluation",
                date_of_service=today,
                previous_evaluation=initial,
            )
            content = _hip_replacement(
                follow_up.date_of_service,
                abductor_right="4-",
                pain=3,
                dressing="modified_independent",
                tug="11.20",
                code="97168",
                lefs=LEFS_LATER,
                change="Dresses lower body at modified independence (was moderate assist); TUG 16.4 s to 11.2 s.",
            )
            # The initial evaluation's goals, judged: socks on independently, the car still to come.
            for number, (goal, status) in enumerate(
                zip(content["assessment_and_plan"]["goals"], ("met", "continued"), strict=True), start=1
            ):
                goal |= {"baseline_goal": number, "status": status}
            save_sections(record=_record(follow_up, therapist), by=therapist, contents=_sections(content))
            sign_evaluation(record=_record(follow_up, therapist), by=therapist, password=DEMO_PASSWORD)
            made += 2
        elif index == 1:  # a colleague's signed evaluation
            evaluation = start_evaluation(
                by=colleague, patient=patient, date_of_service=today - timedelta(days=3)
            )
            save_sections(
                record=_record(evaluation, colleague),
                by=colleague,
                contents=_sections(
                    _hip_replacement(
                        evaluation.date_of_service,
                        abductor_right="3+",
                        pain=5,
                        dressing="minimal_assist",
                        tug="13.00",
                        code="97166",
                    )
                ),
            )
            sign_evaluation(record=_record(evaluation, colleague), by=colleague, password=DEMO_PASSWORD)
            made += 1
        else:  # drafts in progress: the profile and a little of the physical exam
            evaluation = start_evaluation(by=therapist, patient=patient, date_of_service=today)
            content = _hip_replacement(
                today, abductor_right="3", pain=6, dressing="minimal_assist", tug="14.00", code="97166"
            )
            save_sections(
                record=_record(evaluation, therapist),
                by=therapist,
                contents=_sections(
                    {
                        "profile": content["profile"],
                        "physical_function": {"strength": content["physical_function"]["strength"]},
                    }
                ),
            )
            made += 1
    return made
