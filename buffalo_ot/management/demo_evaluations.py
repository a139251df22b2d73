"""Demo evaluations that make a newcomer's clinic look lived in: signed ones with addenda,
a re-evaluation against its baseline, and drafts in progress. Made through the services,
so they obey every rule a real evaluation does."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from evaluations.interpretation import EvaluationRecord
from evaluations.models import Evaluation
from evaluations.sections import SECTIONS_BY_KEY
from evaluations.selectors import fetch_record
from evaluations.services import add_addendum, save_sections, sign_evaluation, start_evaluation
from occupations import models as catalogue
from patients.models import Patient
from patients.services import update_patient

DEMO_PASSWORD = "buffalo-demo-2026"  # noqa: S105  (the demo users' shared password)


def _entry(model, code):
    return model.objects.get(code=code)


def _hip_replacement(date_of_service, *, abductor_right: str, pain: int, dressing: str, tug: str) -> dict:
    goal_date = date_of_service + timedelta(weeks=4)
    return {
        "profile": {
            "reason_for_therapy": "Right hip pain and stiffness since a total hip replacement; cannot get in and out of her car or put on socks.",
            "who_they_are": "Retired school secretary; lives with her husband; grandmother of three.",
            "what_they_do": "Watches two grandchildren after school twice a week; gardens; sings in the church choir.",
            "what_makes_them_tick": "Family, her vegetable garden, Sunday choir.",
            "barriers": "Posterior hip precautions; pain when sitting over 30 minutes.",
            "priorities": "Drive herself to church and pick up the grandchildren again.",
            "medical_history": "R total hip arthroplasty (posterior approach); hypertension; osteoarthritis L knee.",
            "precautions": "Posterior hip precautions until 12 weeks after surgery.",
            "living_situation": "Two-storey house, 3 steps to enter with a rail; tub-shower.",
            "prior_level_of_function": "Independent in all ADLs and IADLs; drove daily.",
            "hand_dominance": "right",
        },
        "physical_function": {
            "mmt_scale": "kendall",
            "strength": [
                {
                    "muscle_group": _entry(catalogue.MuscleGroup, "hip_abductors"),
                    "side": "right",
                    "grade": abductor_right,
                    "notes": "",
                },
                {
                    "muscle_group": _entry(catalogue.MuscleGroup, "hip_abductors"),
                    "side": "left",
                    "grade": "4+",
                    "notes": "",
                },
                {
                    "muscle_group": _entry(catalogue.MuscleGroup, "hip_extensors"),
                    "side": "right",
                    "grade": "3",
                    "notes": "",
                },
                {
                    "muscle_group": _entry(catalogue.MuscleGroup, "hip_extensors"),
                    "side": "left",
                    "grade": "4",
                    "notes": "",
                },
            ],
            "range_of_motion": [
                {
                    "joint_motion": _entry(catalogue.JointMotion, "hip_flexion"),
                    "side": "right",
                    "mode": "active",
                    "degrees": 80,
                    "is_painful": True,
                    "notes": "within precautions",
                },
                {
                    "joint_motion": _entry(catalogue.JointMotion, "hip_flexion"),
                    "side": "left",
                    "mode": "active",
                    "degrees": 115,
                    "is_painful": False,
                    "notes": "",
                },
            ],
            "flexibility": [
                {
                    "test": _entry(catalogue.FlexibilityTest, "hip_flexors_thomas"),
                    "side": "right",
                    "finding": "moderately_limited",
                    "notes": "",
                },
            ],
            "grip": [
                {
                    "hand": "right",
                    "trial_1_kg": "22.0",
                    "trial_2_kg": "23.5",
                    "trial_3_kg": "22.5",
                    "notes": "",
                },
                {
                    "hand": "left",
                    "trial_1_kg": "19.5",
                    "trial_2_kg": "20.0",
                    "trial_3_kg": "20.5",
                    "notes": "",
                },
            ],
        },
        "neuromuscular_function": {
            "tests": [
                {
                    "test": _entry(catalogue.NeuromuscularTest, "timed_up_and_go"),
                    "side": "none",
                    "value": tug,
                    "notes": "rolling walker",
                },
                {
                    "test": _entry(catalogue.NeuromuscularTest, "ruler_drop"),
                    "side": "right",
                    "value": "18.0",
                    "notes": "",
                },
            ]
        },
        "cognition": {
            "findings": [
                {"domain": "short_term_memory", "rating": "intact", "notes": ""},
                {
                    "domain": "perception_of_illness",
                    "rating": "mildly_impaired",
                    "notes": "Expects to drive next week.",
                },
            ],
            "screens": [{"instrument": "moca", "total_score": 27, "education_years": 14, "notes": ""}],
        },
        "occupational_inventory": {
            "roles": [
                {
                    "role": _entry(catalogue.LifeRole, "caregiver"),
                    "status": "current",
                    "importance": "very",
                    "notes": "grandchildren",
                },
                {
                    "role": _entry(catalogue.LifeRole, "religious_participant"),
                    "status": "current",
                    "importance": "very",
                    "notes": "choir",
                },
            ],
            "mobility": [
                {
                    "destination": _entry(catalogue.Destination, "place_of_worship"),
                    "frequency": "weekly",
                    "transport_mode": _entry(catalogue.TransportMode, "driven_by_others"),
                    "ability": "with_help",
                    "barriers": "Cannot lift the right leg into the car",
                    "notes": "",
                },
                {
                    "destination": _entry(catalogue.Destination, "grocery_store"),
                    "frequency": "weekly",
                    "transport_mode": _entry(catalogue.TransportMode, "driven_by_others"),
                    "ability": "with_help",
                    "barriers": "",
                    "notes": "",
                },
            ],
            "iadl_inventory": [
                {
                    "activity": _entry(catalogue.Activity, "shopping"),
                    "is_required": True,
                    "done_by": "spouse_partner",
                    "notes": "",
                },
                {
                    "activity": _entry(catalogue.Activity, "cooking"),
                    "is_required": True,
                    "done_by": "shared",
                    "notes": "",
                },
            ],
            "other_activities": [{"name": "Gardening in raised beds", "notes": ""}],
        },
        "adl_checklist": {
            "ratings": [
                {
                    "activity": _entry(catalogue.Activity, "dressing"),
                    "assist_level": dressing,
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "socks and shoes",
                },
                {
                    "activity": _entry(catalogue.Activity, "bathing_showering"),
                    "assist_level": "supervision",
                    "limited_by_pain": False,
                    "limited_by_imbalance": True,
                    "priority": "medium",
                    "notes": "tub transfer bench",
                },
                {
                    "activity": _entry(catalogue.Activity, "functional_mobility"),
                    "assist_level": "modified_independent",
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "car transfers",
                },
            ]
        },
        "iadl_checklist": {
            "ratings": [
                {
                    "activity": _entry(catalogue.Activity, "cooking"),
                    "assist_level": "modified_independent",
                    "limited_by_pain": True,
                    "limited_by_imbalance": False,
                    "priority": "low",
                    "notes": "sits to prepare",
                },
                {
                    "activity": _entry(catalogue.Activity, "transportation"),
                    "assist_level": "dependent",
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "not yet cleared to drive",
                },
            ]
        },
        "muscle_imbalance": {
            "causes": [
                {"cause": _entry(catalogue.ImbalanceCause, "medical_event"), "notes": "R THR"},
                {
                    "cause": _entry(catalogue.ImbalanceCause, "sleeping_position"),
                    "notes": "always sleeps on the right",
                },
            ],
            "pain_points": [
                {
                    "region": _entry(catalogue.PainRegion, "hip"),
                    "side": "right",
                    "intensity": pain,
                    "aggravating_factors": "getting into the car; sitting > 30 min",
                    "notes": "",
                },
                {
                    "region": _entry(catalogue.PainRegion, "lower_back"),
                    "side": "midline",
                    "intensity": 3,
                    "aggravating_factors": "standing at the stove",
                    "notes": "",
                },
            ],
            "signs_symptoms": [{"sign": _entry(catalogue.SignSymptom, "limping"), "notes": ""}],
            "affected_occupations": [
                {"occupation": _entry(catalogue.AffectedOccupation, "driving"), "notes": ""},
                {"occupation": _entry(catalogue.AffectedOccupation, "lower_body_dressing"), "notes": ""},
            ],
        },
        "assessment_and_plan": {
            "assessment_summary": "Right hip abductor and extensor weakness with pain after THR, compensated by trunk lean and limp, limits lower-body dressing, car transfers and community mobility.",
            "sessions_per_week": 2,
            "duration_weeks": 8,
            "home_program": "Standing hip abduction and bridges, 2 x 10 daily; sock aid practice.",
            "goals": [
                {
                    "term": "short_term",
                    "description": "Dons socks and shoes with a sock aid and long shoehorn at modified independence, keeping hip precautions.",
                    "target_on": goal_date,
                    "activity": _entry(catalogue.Activity, "dressing"),
                    "notes": "",
                },
                {
                    "term": "long_term",
                    "description": "Transfers into and out of her own car independently and drives to church.",
                    "target_on": goal_date + timedelta(weeks=4),
                    "activity": _entry(catalogue.Activity, "transportation"),
                    "notes": "",
                },
            ],
            "interventions": [
                {
                    "intervention": _entry(catalogue.Intervention, "occupation_based"),
                    "notes": "car transfers with her own car",
                },
                {
                    "intervention": _entry(catalogue.Intervention, "neuromuscular_massage"),
                    "notes": "R gluteus medius trigger points",
                },
                {"intervention": _entry(catalogue.Intervention, "therapeutic_exercise"), "notes": ""},
                {
                    "intervention": _entry(catalogue.Intervention, "adaptive_equipment"),
                    "notes": "sock aid, reacher",
                },
            ],
        },
    }


def _with_cpt(content: dict, *, code: str, change: str = "") -> dict:
    # Present comorbidities (hypertension, knee OA), expanded history, minimal-to-moderate help
    # during the evaluation: moderate complexity, 97166 (a re-evaluation: 97168 with its change).
    content["cpt_complexity"] = {
        "cpt_history": "expanded",
        "cpt_comorbidities": "present",
        "cpt_assistance": "minimal_to_moderate",
        "cpt_documented_change": change,
        "cpt_code": code,
    }
    return content


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
                    _with_cpt(
                        _hip_replacement(
                            initial.date_of_service,
                            abductor_right="3-",
                            pain=7,
                            dressing="moderate_assist",
                            tug="16.40",
                        ),
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
            save_sections(
                record=_record(follow_up, therapist),
                by=therapist,
                contents=_sections(
                    _with_cpt(
                        _hip_replacement(
                            follow_up.date_of_service,
                            abductor_right="4-",
                            pain=3,
                            dressing="modified_independent",
                            tug="11.20",
                        ),
                        code="97168",
                        change="Dresses lower body at modified independence (was moderate assist); TUG 16.4 s to 11.2 s.",
                    )
                ),
            )
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
                    _with_cpt(
                        _hip_replacement(
                            evaluation.date_of_service,
                            abductor_right="3+",
                            pain=5,
                            dressing="minimal_assist",
                            tug="13.00",
                        ),
                        code="97166",
                    )
                ),
            )
            sign_evaluation(record=_record(evaluation, colleague), by=colleague, password=DEMO_PASSWORD)
            made += 1
        else:  # drafts in progress: the profile and a little of the physical exam
            evaluation = start_evaluation(by=therapist, patient=patient, date_of_service=today)
            content = _hip_replacement(
                today, abductor_right="3", pain=6, dressing="minimal_assist", tug="14.00"
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
