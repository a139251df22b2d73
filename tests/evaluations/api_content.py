"""A complete evaluation as JSON, the way an API client sends it (catalogue codes, ISO dates)."""

from datetime import date, timedelta


def full_json(date_of_service: date) -> dict:
    target = date_of_service + timedelta(weeks=4)
    return {
        "profile": {
            "reason_for_therapy": "Right hip pain since total hip replacement; cannot get in and out of the car.",
            "who_they_are": "Retired teacher, grandmother of three.",
            "priorities": "Drive to church again.",
            "hand_dominance": "right",
            "copm": [
                {
                    "area": "self_care",
                    "problem": "Putting on socks",
                    "importance": 9,
                    "performance": 3,
                    "satisfaction": 2,
                    "notes": "",
                }
            ],
        },
        "physical_function": {
            "mmt_scale": "kendall",
            "strength": [
                {"muscle_group": "hip_abductors", "side": "right", "grade": "3+", "notes": ""},
                {"muscle_group": "hip_abductors", "side": "left", "grade": "4+", "notes": ""},
            ],
            "range_of_motion": [
                {
                    "joint_motion": "hip_flexion",
                    "side": "right",
                    "mode": "active",
                    "degrees": 85,
                    "is_painful": True,
                    "notes": "",
                }
            ],
            "flexibility": [
                {"test": "hip_flexors_thomas", "side": "right", "finding": "moderately_limited", "notes": ""}
            ],
            "pinch": [
                {
                    "pinch": "key",
                    "hand": "left",
                    "trial_1_kg": "6.0",
                    "trial_2_kg": None,
                    "trial_3_kg": None,
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
                }
            ],
        },
        "neuromuscular_function": {
            "tests": [{"test": "timed_up_and_go", "side": "none", "value": "14.20", "notes": "with walker"}]
        },
        "cognition": {
            "findings": [{"domain": "recall", "rating": "intact", "notes": ""}],
            "screens": [{"instrument": "moca", "total_score": 27, "education_years": 16, "notes": ""}],
        },
        "occupational_inventory": {
            "roles": [{"role": "caregiver", "status": "current", "importance": "very", "notes": ""}],
            "mobility": [
                {
                    "destination": "place_of_worship",
                    "frequency": "weekly",
                    "transport_mode": "driven_by_others",
                    "ability": "with_help",
                    "barriers": "car transfers",
                    "notes": "",
                }
            ],
            "iadl_inventory": [
                {"activity": "shopping", "is_required": True, "done_by": "family", "notes": ""}
            ],
            "other_activities": [{"name": "Gardening", "notes": ""}],
        },
        "adl_checklist": {
            "ratings": [
                {
                    "activity": "dressing",
                    "assist_level": "minimal_assist",
                    "limited_by_pain": True,
                    "limited_by_imbalance": True,
                    "priority": "high",
                    "notes": "socks and shoes",
                }
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
                    "notes": "",
                }
            ],
            "scales": [{"instrument": "lawton_iadl", "total_score": 6, "notes": ""}],
        },
        "muscle_imbalance": {
            "causes": [{"cause": "medical_event", "notes": "R THR"}],
            "pain_points": [
                {"region": "hip", "side": "right", "intensity": 6, "aggravating_factors": "car", "notes": ""}
            ],
            "signs_symptoms": [{"sign": "limping", "notes": ""}],
            "affected_occupations": [{"occupation": "driving", "notes": ""}],
        },
        "assessment_and_plan": {
            "assessment_summary": "Hip abductor weakness and pain limit dressing and car transfers.",
            "sessions_per_week": 2,
            "duration_weeks": 8,
            "home_program": "Standing hip abduction 2 x 10 daily.",
            "goals": [
                {
                    "term": "long_term",
                    "description": "Transfers in and out of the car independently.",
                    "target_on": target.isoformat(),
                    "activity": "transportation",
                    "notes": "",
                }
            ],
            "interventions": [{"intervention": "occupation_based", "notes": ""}],
        },
        "cpt_complexity": {
            "cpt_history": "expanded",
            "cpt_comorbidities": "may_be_present",
            "cpt_assistance": "none",
            "cpt_documented_change": "",
            "cpt_code": "97165",
            "cpt_override_reason": "",
        },
    }
