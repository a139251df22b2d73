"""The clinic's roles. Each is a Group; its permissions are granted by data migrations."""

FRONT_DESK = "Front desk"
THERAPIST = "Therapist"
CLINIC_ADMIN = "Clinic admin"

ALL_ROLES = (FRONT_DESK, THERAPIST, CLINIC_ADMIN)
