"""The clinic's roles. Each is a Group; its permissions are granted by data migrations."""

FRONT_DESK = "Front desk"
THERAPIST = "Therapist"
CLINIC_ADMIN = "Clinic admin"
# Supervised clinicians: they draft (an assistant progress reports only, a student any
# evaluation) but never sign alone; a supervising therapist co-signs.
OT_ASSISTANT = "Occupational therapy assistant"
STUDENT = "Student"

ALL_ROLES = (FRONT_DESK, THERAPIST, CLINIC_ADMIN, OT_ASSISTANT, STUDENT)
