"""One complete sample evaluation (a right total hip replacement in an older woman), used by the
demo data and the tests alike, and the one conversion from its API form (catalogue codes) to the
form the services take (catalogue entries)."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Model

from common.models import related_model
from evaluations.sections import SECTIONS_BY_KEY


def sample_evaluation(
    date_of_service: date,
    *,
    abductor_right: str = "3+",
    pain: int = 6,
    dressing: str = "minimal_assist",
    tug: str = "14.20",
    cpt_history: str = "expanded",
    cpt_comorbidities: str = "may_be_present",
    cpt_assistance: str = "none",
    cpt_code: str = "97165",
    documented_change: str = "",
) -> dict[str, dict[str, Any]]:
    """The whole evaluation, by section API key, as an API client sends it: catalogue entries by
    code. The keyword arguments are what changes between the demo's visits."""
    target = date_of_service + timedelta(weeks=4)
    return {
        "profile": {
            "reason_for_therapy": "Right hip pain since total hip replacement; cannot get in and out of the car.",
            "who_they_are": "Retired teacher, grandmother of three.",
            "what_they_do": "Cares for grandchildren twice a week; gardens.",
            "what_makes_them_tick": "Family, her garden, church choir.",
            "priorities": "Drive to church and pick up grandchildren again.",
            "precautions": "Posterior hip precautions until 12 weeks post-op.",
            "hand_dominance": "right",
            "copm": [
                {
                    "area": "self_care",
                    "problem": "Putting on socks",
                    "importance": 9,
                    "performance": 3,
                    "satisfaction": 2,
                    "notes": "",
                },
                {
                    "area": "productivity",
                    "problem": "Driving to church",
                    "importance": 10,
                    "performance": 1,
                    "satisfaction": 1,
                    "notes": "",
                },
            ],
        },
        "physical_function": {
            "mmt_scale": "kendall",
            "strength": [
                {
                    "muscle_group": "hip_abductors",
                    "side": "right",
                    "grade": abductor_right,
                    "notes": "",
                },
                {
                    "muscle_group": "hip_abductors",
                    "side": "left",
                    "grade": "4+",
                    "notes": "",
                },
            ],
            "range_of_motion": [
                {
                    "joint_motion": "hip_flexion",
                    "side": "right",
                    "mode": "active",
                    "degrees": 85,
                    "is_painful": True,
                    "notes": "limited by precautions",
                },
            ],
            "flexibility": [
                {
                    "test": "hip_flexors_thomas",
                    "side": "right",
                    "finding": "moderately_limited",
                    "notes": "",
                },
            ],
            "pinch": [
                {
                    "pinch": "tip",
                    "hand": "right",
                    "trial_1_kg": "4.5",
                    "trial_2_kg": "4.0",
                    "trial_3_kg": "5.0",
                    "notes": "",
                }
            ],
            "grip": [
                {
                    "hand": "right",
                    "trial_1_kg": "22.5",
                    "trial_2_kg": "23.0",
                    "trial_3_kg": "22.0",
                    "notes": "",
                },
                {"hand": "left", "trial_1_kg": "20.0", "trial_2_kg": None, "trial_3_kg": None, "notes": ""},
            ],
        },
        "neuromuscular_function": {
            "tests": [
                {
                    "test": "timed_up_and_go",
                    "side": "none",
                    "value": tug,
                    "notes": "with walker",
                },
                {
                    "test": "nine_hole_peg",
                    "side": "right",
                    "value": "21.50",
                    "notes": "",
                },
            ],
        },
        "cognition": {
            "findings": [
                {"domain": "short_term_memory", "rating": "intact", "notes": ""},
                {
                    "domain": "perception_of_illness",
                    "rating": "mildly_impaired",
                    "notes": "expects full recovery in 2 weeks",
                },
            ],
            "screens": [{"instrument": "moca", "total_score": 27, "education_years": 16, "notes": ""}],
        },
        "occupational_inventory": {
            "roles": [
                {
                    "role": "caregiver",
                    "status": "current",
                    "importance": "very",
                    "notes": "",
                }
            ],
            "mobility": [
                {
                    "destination": "place_of_worship",
                    "frequency": "weekly",
                    "transport_mode": "driven_by_others",
                    "ability": "with_help",
                    "barriers": "Cannot lift the leg into the car",
                    "notes": "",
                }
            ],
            "iadl_inventory": [
                {
                    "activity": "shopping",
                    "is_required": True,
                    "done_by": "family",
                    "notes": "",
                }
            ],
            "other_activities": [{"name": "Gardening", "notes": "raised beds"}],
            "psfs": [
                {"activity": "Putting on socks", "rating": 3, "notes": ""},
                {"activity": "Getting into the car", "rating": 2, "notes": ""},
            ],
        },
        "adl_checklist": {
            "ratings": [
                {
                    "activity": "dressing",
                    "assist_level": dressing,
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "socks and shoes",
                },
                {
                    "activity": "bathing_showering",
                    "assist_level": "supervision",
                    "limited_by_pain": False,
                    "limited_by_imbalance": True,
                    "priority": "medium",
                    "notes": "",
                },
            ]
        },
        "iadl_checklist": {
            "ratings": [
                {
                    "activity": "cooking",
                    "assist_level": "modified_independent",
                    "limited_by_pain": True,
                    "limited_by_imbalance": False,
                    "priority": "low",
                    "notes": "sits to prepare",
                },
            ],
            "scales": [{"instrument": "barthel_index", "total_score": 85, "notes": ""}],
        },
        "muscle_imbalance": {
            "causes": [{"cause": "medical_event", "notes": "R THR"}],
            "pain_points": [
                {
                    "region": "hip",
                    "side": "right",
                    "intensity": pain,
                    "aggravating_factors": "getting into the car",
                    "notes": "",
                }
            ],
            "signs_symptoms": [{"sign": "limping", "notes": ""}],
            "affected_occupations": [{"occupation": "driving", "notes": ""}],
        },
        "assessment_and_plan": {
            "assessment_summary": "Hip abductor weakness and pain after R THR limit lower-body dressing and car transfers.",
            "sessions_per_week": 2,
            "duration_weeks": 8,
            "home_program": "Standing hip abduction, 2 x 10 daily.",
            "goals": [
                {
                    "term": "short_term",
                    "description": "Dons socks with a sock aid and modified independence.",
                    "target_on": target,
                    "activity": "dressing",
                    "notes": "",
                },
                {
                    "term": "long_term",
                    "description": "Transfers in and out of the car independently to drive to church.",
                    "target_on": target + timedelta(weeks=4),
                    "activity": "transportation",
                    "notes": "",
                },
            ],
            "interventions": [
                {
                    "intervention": "occupation_based",
                    "notes": "car transfers with her own car",
                },
                {"intervention": "neuromuscular_massage", "notes": ""},
            ],
        },
        # By default: many deficits (high), expanded history (moderate), comorbidities may be
        # present (moderate), no assistance needed (low): the lowest component sets the level, 97165.
        "cpt_complexity": {
            "cpt_history": cpt_history,
            "cpt_comorbidities": cpt_comorbidities,
            "cpt_assistance": cpt_assistance,
            "cpt_documented_change": documented_change,
            "cpt_code": cpt_code,
        },
    }


def resolve_codes(content: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The same content with each catalogue code replaced by its entry (a KeyError names a code
    that is not in the catalogue). Section keys stay API keys; lists and fields are copied."""
    found: dict[tuple[type[Model], str], Model] = {}
    resolved: dict[str, dict[str, Any]] = {}
    for key, values in content.items():
        section = SECTIONS_BY_KEY[key]
        specs = {spec.key: spec for spec in section.rows}
        resolved[key] = {}
        for name, value in values.items():
            spec = specs.get(name)
            if spec is None:
                resolved[key][name] = value
                continue
            rows = []
            for row in value:
                row = dict(row)
                for field in spec.fields:
                    code = row.get(field)
                    if spec.model._meta.get_field(field).is_relation and isinstance(code, str):
                        model = related_model(spec.model, field)
                        if (model, code) not in found:
                            found[(model, code)] = model._default_manager.get(code=code)
                        row[field] = found[(model, code)]
                rows.append(row)
            resolved[key][name] = rows
    return resolved
