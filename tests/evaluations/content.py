"""A complete evaluation's content, as the services take it (catalogue entries as rows)."""

from datetime import date, timedelta

from evaluations.sections import SECTIONS_BY_KEY
from occupations import models as catalogue


def code(model, value):
    return model.objects.get(code=value)


def full_content(date_of_service: date) -> dict:
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
                    "muscle_group": code(catalogue.MuscleGroup, "hip_abductors"),
                    "side": "right",
                    "grade": "3+",
                    "notes": "",
                },
                {
                    "muscle_group": code(catalogue.MuscleGroup, "hip_abductors"),
                    "side": "left",
                    "grade": "4+",
                    "notes": "",
                },
            ],
            "range_of_motion": [
                {
                    "joint_motion": code(catalogue.JointMotion, "hip_flexion"),
                    "side": "right",
                    "mode": "active",
                    "degrees": 85,
                    "is_painful": True,
                    "notes": "limited by precautions",
                },
            ],
            "flexibility": [
                {
                    "test": code(catalogue.FlexibilityTest, "hip_flexors_thomas"),
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
                    "test": code(catalogue.NeuromuscularTest, "timed_up_and_go"),
                    "side": "none",
                    "value": "14.20",
                    "notes": "with walker",
                },
                {
                    "test": code(catalogue.NeuromuscularTest, "nine_hole_peg"),
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
                    "role": code(catalogue.LifeRole, "caregiver"),
                    "status": "current",
                    "importance": "very",
                    "notes": "",
                }
            ],
            "mobility": [
                {
                    "destination": code(catalogue.Destination, "place_of_worship"),
                    "frequency": "weekly",
                    "transport_mode": code(catalogue.TransportMode, "driven_by_others"),
                    "ability": "with_help",
                    "barriers": "Cannot lift the leg into the car",
                    "notes": "",
                }
            ],
            "iadl_inventory": [
                {
                    "activity": code(catalogue.Activity, "shopping"),
                    "is_required": True,
                    "done_by": "family",
                    "notes": "",
                }
            ],
            "other_activities": [{"name": "Gardening", "notes": "raised beds"}],
        },
        "adl_checklist": {
            "ratings": [
                {
                    "activity": code(catalogue.Activity, "dressing"),
                    "assist_level": "minimal_assist",
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "socks and shoes",
                },
                {
                    "activity": code(catalogue.Activity, "bathing_showering"),
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
                    "activity": code(catalogue.Activity, "cooking"),
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
            "causes": [{"cause": code(catalogue.ImbalanceCause, "medical_event"), "notes": "R THR"}],
            "pain_points": [
                {
                    "region": code(catalogue.PainRegion, "hip"),
                    "side": "right",
                    "intensity": 6,
                    "aggravating_factors": "getting into the car",
                    "notes": "",
                }
            ],
            "signs_symptoms": [{"sign": code(catalogue.SignSymptom, "limping"), "notes": ""}],
            "affected_occupations": [
                {"occupation": code(catalogue.AffectedOccupation, "driving"), "notes": ""}
            ],
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
                    "activity": code(catalogue.Activity, "dressing"),
                    "notes": "",
                },
                {
                    "term": "long_term",
                    "description": "Transfers in and out of the car independently to drive to church.",
                    "target_on": target + timedelta(weeks=4),
                    "activity": code(catalogue.Activity, "transportation"),
                    "notes": "",
                },
            ],
            "interventions": [
                {
                    "intervention": code(catalogue.Intervention, "occupation_based"),
                    "notes": "car transfers with her own car",
                },
                {"intervention": code(catalogue.Intervention, "neuromuscular_massage"), "notes": ""},
            ],
        },
        # Many deficits (high), expanded history (moderate), comorbidities may be present (moderate),
        # no assistance needed (low): the lowest component sets the level, low, 97165.
        "cpt_complexity": {
            "cpt_history": "expanded",
            "cpt_comorbidities": "may_be_present",
            "cpt_assistance": "none",
            "cpt_code": "97165",
        },
    }


def as_sections(content: dict) -> dict:
    return {SECTIONS_BY_KEY[key]: value for key, value in content.items()}
