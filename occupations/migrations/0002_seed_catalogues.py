"""Seed the catalogues with stable codes and the clinic's wording.

Sources: the clinic's page (ADLs, IADLs, causes, pain points, signs and symptoms, affected
occupations, interventions); OTPF-4 (AOTA 2020) for the other IADLs and health management;
Lawton & Brody 1969 for the eight core IADL items; the Role Checklist (Oakley et al. 1986) for
life roles; Norkin & White Table A.1, the Merck Manual and AAOS for joint motions (plausibility
bounds = largest published normal + 30 degrees). Re-running updates labels, never codes.
"""

from django.db import migrations

ADL = [
    ("bathing_showering", "Bathing and showering", ""),
    ("dressing", "Getting dressed", ""),
    ("toileting", "Going to the bathroom (toileting and toilet hygiene)", ""),
    ("functional_mobility", "Walking and getting up and down from a chair or car", "Functional mobility and transfers."),
    ("eating_swallowing", "Eating and swallowing", ""),
    ("feeding", "Feeding", "Setting up, arranging and bringing food or fluid to the mouth."),
    ("sexual_activity", "Sexual activity", ""),
    ("hygiene_grooming", "Personal hygiene and grooming", ""),
    ("personal_care_devices", "Using personal care devices", "Adaptive equipment and durable medical equipment."),
]

# (code, label, description, lawton item)
CORE_IADL = [
    ("cooking", "Cooking", "Following a recipe and having the stamina to prepare a meal for yourself and/or your family.", "food_preparation"),
    ("cleaning", "Cleaning", "Light housekeeping: making the bed, washing the dishes, taking out the trash, vacuuming, sweeping, cleaning the bathroom.", "housekeeping"),
    ("laundry", "Laundry", "Washing, drying and putting away clothes and linens.", "laundry"),
    ("communication", "Communication", "Using the telephone and the computer, conversations with familiar people and strangers, communicating needs clearly.", "telephone"),
    ("medication_management", "Taking medication", "Sorting and organizing medication, or a compensatory method, and taking the right dose at the right time.", "medications"),
    ("personal_finances", "Personal finances", "An organization method for financial responsibilities; paying bills on time.", "finances"),
    ("transportation", "Transportation and community mobility", "Driving, calling a driving service, or public transportation: a defined plan for getting around the community.", "transportation"),
    ("shopping", "Shopping", "Planning transportation and a list of needs, the stamina to collect the items, and getting them into the house.", "shopping"),
]

OTHER_IADL = [
    ("care_of_others", "Care of others", "Including choosing and supervising caregivers."),
    ("care_of_pets", "Care of pets and animals", ""),
    ("child_rearing", "Child rearing", ""),
    ("driving", "Driving", "Operating a vehicle; see also transportation and community mobility."),
    ("home_maintenance", "Home establishment and management", "Upkeep of the home, yard, appliances and vehicles beyond light cleaning."),
    ("religious_spiritual", "Religious and spiritual expression", ""),
    ("safety_emergency", "Safety and emergency maintenance", ""),
]

HEALTH_MANAGEMENT = [
    ("hm_emotional_health", "Social and emotional health promotion", ""),
    ("hm_symptom_management", "Symptom and condition management", "Including pain management."),
    ("hm_health_system", "Communicating with the health-care system", ""),
    ("hm_physical_activity", "Physical activity", ""),
    ("hm_nutrition", "Nutrition management", ""),
    ("hm_device_management", "Personal care device management", "E.g. edema sleeves and compression garments."),
    ("hm_rest_sleep", "Rest and sleep", "Sleeping through the night (OTPF-4 lists rest and sleep as its own category)."),
]

LIFE_ROLES = [
    ("caregiver", "Caregiver"),
    ("spouse_partner", "Spouse or partner"),
    ("parent", "Parent"),
    ("grandparent", "Grandparent"),
    ("worker", "Employee or worker"),
    ("volunteer", "Volunteer"),
    ("student", "Student"),
    ("home_maintainer", "Homemaker / home maintainer"),
    ("friend", "Friend"),
    ("family_member", "Family member"),
    ("religious_participant", "Religious participant"),
    ("hobbyist", "Hobbyist"),
    ("organization_participant", "Participant in organizations"),
]

DESTINATIONS = [
    ("home_inside", "Around the home"),
    ("home_outside", "Yard, driveway and outside the home"),
    ("grocery_store", "Grocery store"),
    ("pharmacy", "Pharmacy"),
    ("medical_appointments", "Medical appointments"),
    ("work", "Work"),
    ("place_of_worship", "Place of worship"),
    ("family_friends", "Family and friends' homes"),
    ("community_recreation", "Community recreation (gym, park, senior center)"),
    ("bank_post_office", "Bank and post office"),
    ("school_childcare", "School or childcare"),
    ("restaurants", "Restaurants and social outings"),
]

TRANSPORT_MODES = [
    ("walking", "Walking"),
    ("walking_with_device", "Walking with a cane, walker or other device"),
    ("wheelchair_scooter", "Wheelchair or scooter"),
    ("drives_self", "Drives self"),
    ("driven_by_others", "Driven by family or friends"),
    ("taxi_rideshare", "Taxi or ride-share (e.g. Uber)"),
    ("public_transit", "Public transportation (bus, Metro Rail)"),
    ("paratransit", "Paratransit"),
    ("bicycle", "Bicycle"),
]

CAUSES = [
    ("poor_posture", "Poor posture"),
    ("lack_of_activity", "Lack of physical activity"),
    ("wrong_muscles", "Using the wrong muscles to perform specific activities"),
    ("prolonged_sitting", "Sitting for too long"),
    ("unsupported_standing", "Not having the right support when standing for long periods"),
    ("repetitive_training", "Focusing on the same muscle groups in an exercise program over time"),
    ("natural_causes", "Natural causes"),
    ("medical_event", "Medical event changing muscle tone, length or strength"),
    ("sleeping_position", "Sleeping on the same side every night"),
]

PAIN_REGIONS = [
    ("lower_back", "Lower back"),
    ("hip", "Hip"),
    ("neck", "Neck"),
    ("knee", "Knee"),
    ("full_leg", "Full leg"),
    ("shoulder", "Shoulder"),
    ("ankle", "Ankle"),
    ("groin", "Groin"),
    ("upper_back", "Upper back"),
    ("chest", "Chest"),
    ("elbow", "Elbow"),
    ("wrist_hand", "Wrist and hand"),
    ("foot", "Foot"),
]

SIGNS = [
    ("limping", "Walking with a limp to keep weight off a joint for no apparent reason"),
    ("sleepless_from_pain", "Sleepless at night because of pain"),
    ("pain_sitting_standing", "Cannot sit or stand for long periods without pain"),
    ("shoulder_chest_pain", "Shoulder or chest pain affecting raising the arms or driving"),
    ("groin_radiating_pain", "Pain that starts in the groin and radiates down the leg"),
    ("clicking", "A clicking sensation when walking or moving the arms"),
]

AFFECTED_OCCUPATIONS = [
    ("sleeping", "Sleeping through the night peacefully"),
    ("upper_body_dressing", "Putting on a shirt or jacket"),
    ("driving", "Driving"),
    ("caregiving", "Fulfilling caregiving roles"),
    ("showering", "Showering"),
    ("shoveling", "Shoveling (in winter)"),
    ("sit_to_stand", "Getting up and down from a chair or bed"),
    ("walking", "Walking around the home or the community"),
    ("carrying", "Carrying a child or groceries while keeping precautions or getting stronger"),
    ("standing_tasks", "Standing for long periods at the sink or stove"),
    ("lower_body_dressing", "Putting on pants, socks and shoes while keeping precautions"),
    ("writing_non_dominant", "Writing with the non-dominant hand"),
    ("compression_garments", "Putting on edema sleeves or compression garments"),
]

INTERVENTIONS = [
    ("occupation_based", "Occupation-based functional activities", "Real-life tasks in their real setting, e.g. getting up from one's own recliner rather than a studio sit-to-stand."),
    ("neuromuscular_massage", "Neuromuscular massage", "Trigger-point and soft-tissue release for chronic pain; reaction time after neurological events."),
    ("therapeutic_exercise", "Therapeutic exercise", "Strength, endurance, range of motion and flexibility."),
    ("neuromuscular_reeducation", "Neuromuscular re-education", "Balance, coordination, posture and motor control."),
    ("therapeutic_activities", "Therapeutic activities", "Dynamic functional activities."),
    ("adl_iadl_training", "ADL and IADL retraining", "Self-care and home-management training."),
    ("home_program", "Home exercise program", ""),
    ("education", "Client and caregiver education", "Body mechanics, joint protection, precautions."),
    ("adaptive_equipment", "Adaptive equipment training", ""),
    ("energy_conservation", "Energy conservation and activity pacing", ""),
    ("postural_training", "Postural and ergonomic training", ""),
    ("community_reintegration", "Community reintegration", ""),
    ("manual_therapy", "Manual therapy", ""),
    ("modalities", "Physical agent modalities", "Heat, cold and other modalities as adjuncts."),
]

MUSCLE_GROUPS = [
    ("neck_flexors", "Neck flexors", "trunk"),
    ("neck_extensors", "Neck extensors", "trunk"),
    ("trunk_flexors", "Trunk flexors", "trunk"),
    ("trunk_extensors", "Trunk extensors", "trunk"),
    ("scapular_retractors", "Scapular retractors (middle trapezius, rhomboids)", "upper"),
    ("scapular_depressors", "Scapular depressors (lower trapezius)", "upper"),
    ("shoulder_flexors", "Shoulder flexors", "upper"),
    ("shoulder_extensors", "Shoulder extensors", "upper"),
    ("shoulder_abductors", "Shoulder abductors", "upper"),
    ("shoulder_internal_rotators", "Shoulder internal rotators", "upper"),
    ("shoulder_external_rotators", "Shoulder external rotators", "upper"),
    ("elbow_flexors", "Elbow flexors", "upper"),
    ("elbow_extensors", "Elbow extensors", "upper"),
    ("forearm_supinators", "Forearm supinators", "upper"),
    ("forearm_pronators", "Forearm pronators", "upper"),
    ("wrist_extensors", "Wrist extensors", "upper"),
    ("wrist_flexors", "Wrist flexors", "upper"),
    ("hip_flexors", "Hip flexors", "lower"),
    ("hip_extensors", "Hip extensors", "lower"),
    ("hip_abductors", "Hip abductors", "lower"),
    ("hip_adductors", "Hip adductors", "lower"),
    ("hip_internal_rotators", "Hip internal rotators", "lower"),
    ("hip_external_rotators", "Hip external rotators", "lower"),
    ("knee_extensors", "Knee extensors", "lower"),
    ("knee_flexors", "Knee flexors", "lower"),
    ("ankle_dorsiflexors", "Ankle dorsiflexors", "lower"),
    ("ankle_plantarflexors", "Ankle plantarflexors", "lower"),
    ("foot_invertors", "Foot invertors", "lower"),
    ("foot_evertors", "Foot evertors", "lower"),
]

# code, label, region, min, max. max = largest published normal + 30 (see module docstring).
JOINT_MOTIONS = [
    ("shoulder_flexion", "Shoulder flexion", "upper", 0, 218),
    ("shoulder_extension", "Shoulder extension", "upper", 0, 100),
    ("shoulder_abduction", "Shoulder abduction", "upper", 0, 218),
    ("shoulder_internal_rotation", "Shoulder internal rotation", "upper", 0, 124),
    ("shoulder_external_rotation", "Shoulder external rotation", "upper", 0, 138),
    ("elbow_flexion", "Elbow flexion", "upper", 0, 180),
    ("elbow_extension", "Elbow extension (negative = lacks full extension)", "upper", -90, 30),
    ("forearm_pronation", "Forearm pronation", "upper", 0, 122),
    ("forearm_supination", "Forearm supination", "upper", 0, 126),
    ("wrist_flexion", "Wrist flexion", "upper", 0, 123),
    ("wrist_extension", "Wrist extension", "upper", 0, 116),
    ("wrist_radial_deviation", "Wrist radial deviation", "upper", 0, 55),
    ("wrist_ulnar_deviation", "Wrist ulnar deviation", "upper", 0, 71),
    ("hip_flexion", "Hip flexion", "lower", 0, 155),
    ("hip_extension", "Hip extension", "lower", 0, 60),
    ("hip_abduction", "Hip abduction", "lower", 0, 75),
    ("hip_adduction", "Hip adduction", "lower", 0, 60),
    ("hip_internal_rotation", "Hip internal rotation", "lower", 0, 75),
    ("hip_external_rotation", "Hip external rotation", "lower", 0, 75),
    ("knee_flexion", "Knee flexion", "lower", 0, 165),
    ("knee_extension", "Knee extension (negative = lacks full extension)", "lower", -90, 30),
    ("ankle_dorsiflexion", "Ankle dorsiflexion", "lower", 0, 50),
    ("ankle_plantarflexion", "Ankle plantarflexion", "lower", 0, 80),
    ("foot_inversion", "Foot inversion", "lower", 0, 65),
    ("foot_eversion", "Foot eversion", "lower", 0, 55),
    ("cervical_flexion", "Cervical flexion", "trunk", 0, 75),
    ("cervical_extension", "Cervical extension", "trunk", 0, 75),
    ("cervical_lateral_flexion", "Cervical lateral flexion", "trunk", 0, 75),
    ("cervical_rotation", "Cervical rotation", "trunk", 0, 90),
    ("thoracolumbar_flexion", "Thoracolumbar flexion", "trunk", 0, 110),
    ("thoracolumbar_extension", "Thoracolumbar extension", "trunk", 0, 55),
    ("thoracolumbar_lateral_flexion", "Thoracolumbar lateral flexion", "trunk", 0, 65),
    ("thoracolumbar_rotation", "Thoracolumbar rotation", "trunk", 0, 75),
]

FLEXIBILITY_TESTS = [
    ("hamstrings_slr", "Hamstrings (straight-leg raise / 90-90)"),
    ("hip_flexors_thomas", "Hip flexors (Thomas test)"),
    ("rectus_femoris_ely", "Rectus femoris (Ely / modified Thomas)"),
    ("itb_ober", "Iliotibial band (Ober test)"),
    ("piriformis", "Piriformis"),
    ("gastrocnemius_soleus", "Gastrocnemius and soleus"),
    ("pectoralis_minor", "Pectoralis minor"),
    ("pectoralis_major", "Pectoralis major"),
    ("upper_trapezius_levator", "Upper trapezius and levator scapulae"),
    ("latissimus_dorsi", "Latissimus dorsi"),
    ("sit_and_reach", "Low back and hamstrings (sit and reach)"),
]

# code, label, domain, unit (UCUM), sided, lower is better, highest plausible value
NEUROMUSCULAR_TESTS = [
    ("nine_hole_peg", "Nine-Hole Peg Test", "coordination", "s", True, True, 600),
    ("box_and_block", "Box and Block Test (blocks in 60 s)", "coordination", "{count}", True, False, 200),
    ("finger_to_nose", "Finger-to-nose (seconds for 10 repetitions)", "coordination", "s", True, True, 300),
    ("rapid_alternating", "Rapid alternating movements (repetitions in 10 s)", "coordination", "{count}", True, False, 100),
    ("finger_tapping", "Finger tapping (taps in 10 s)", "speed", "{count}", True, False, 150),
    ("gait_speed_10m", "10-metre walk (comfortable gait speed)", "speed", "m/s", False, False, 5),
    ("chair_stand_30s", "30-second chair stand (stands)", "speed", "{count}", False, False, 60),
    ("timed_up_and_go", "Timed Up and Go", "agility", "s", False, True, 600),
    ("four_square_step", "Four Square Step Test", "agility", "s", False, True, 300),
    ("ruler_drop", "Ruler drop (catch distance)", "reaction_time", "cm", True, True, 100),
]


def _seed(model, rows):
    for order, (code, *rest) in enumerate(rows, start=1):
        model.objects.update_or_create(code=code, defaults={**rest[0], "display_order": order * 10})


def seed(apps, schema_editor):
    get = lambda name: apps.get_model("occupations", name)  # noqa: E731
    activities = (
        [(c, {"label": l, "description": d, "category": "adl"}) for c, l, d in ADL]
        + [(c, {"label": l, "description": d, "category": "iadl", "is_core_iadl": True, "lawton_item": w}) for c, l, d, w in CORE_IADL]
        + [(c, {"label": l, "description": d, "category": "iadl"}) for c, l, d in OTHER_IADL]
        + [(c, {"label": l, "description": d, "category": "health_management"}) for c, l, d in HEALTH_MANAGEMENT]
    )
    _seed(get("Activity"), activities)
    for name, rows in [
        ("LifeRole", LIFE_ROLES),
        ("Destination", DESTINATIONS),
        ("TransportMode", TRANSPORT_MODES),
        ("ImbalanceCause", CAUSES),
        ("PainRegion", PAIN_REGIONS),
        ("SignSymptom", SIGNS),
        ("AffectedOccupation", AFFECTED_OCCUPATIONS),
        ("FlexibilityTest", FLEXIBILITY_TESTS),
    ]:
        _seed(get(name), [(code, {"label": label}) for code, label in rows])
    _seed(get("Intervention"), [(c, {"label": l, "description": d}) for c, l, d in INTERVENTIONS])
    _seed(get("MuscleGroup"), [(c, {"label": l, "region": r}) for c, l, r in MUSCLE_GROUPS])
    _seed(
        get("JointMotion"),
        [(c, {"label": l, "region": r, "min_degrees": lo, "max_degrees": hi}) for c, l, r, lo, hi in JOINT_MOTIONS],
    )
    _seed(
        get("NeuromuscularTest"),
        [
            (c, {"label": l, "domain": d, "unit": u, "is_sided": s, "lower_is_better": lb, "max_value": m})
            for c, l, d, u, s, lb, m in NEUROMUSCULAR_TESTS
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("occupations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
