"""Demo users and a living register of patients, for a newcomer's `make run`.

Idempotent: running it again resets the demo passwords and adds nothing twice.
Refused unless DEBUG is on or ALLOW_DEMO_DATA is set, so production never gets it.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from stdnum import luhn

from accounts.models import User
from accounts.roles import CLINIC_ADMIN, FRONT_DESK, OT_ASSISTANT, STUDENT, THERAPIST
from buffalo_ot.management.demo_episodes import seed_episodes
from buffalo_ot.management.demo_evaluations import DEMO_PASSWORD, seed_evaluations
from patients.models import Patient
from patients.services import register_patient

DEMO_USERS = [
    # username, first, last, credentials, role, is_staff
    ("frontdesk", "Dana", "Russo", "", FRONT_DESK, False),
    ("therapist", "Michelle", "Eliason", "MS, OTR/L", THERAPIST, False),
    ("therapist2", "Kevin", "Okafor", "OTD, OTR/L", THERAPIST, False),
    ("clinicadmin", "Priya", "Natarajan", "", CLINIC_ADMIN, True),
    ("assistant", "Tomasz", "Nowicki", "COTA/L", OT_ASSISTANT, False),
    ("student", "Aisha", "Bello", "OTS", STUDENT, False),
]

GIVEN_FEMALE = [
    "Joan",
    "Maria",
    "Dolores",
    "Aisha",
    "Linda",
    "Hannah",
    "Teresa",
    "Mei",
    "Fatima",
    "Grace",
    "Olena",
    "Rosa",
]
GIVEN_MALE = [
    "Robert",
    "Anthony",
    "James",
    "Khalid",
    "Tomasz",
    "Luis",
    "Daniel",
    "Nam",
    "Joseph",
    "Samuel",
    "Frank",
    "Abdi",
]
FAMILY = [
    "Kowalski",
    "Russo",
    "Johnson",
    "Rahman",
    "Nowak",
    "Garcia",
    "Williams",
    "Nguyen",
    "Martin",
    "Ali",
    "Brown",
    "Ortiz",
    "Schmidt",
    "Murphy",
    "Hassan",
    "Lee",
    "Wisniewski",
    "Smith",
]
STREETS = [
    "Elmwood Ave",
    "Delaware Ave",
    "Hertel Ave",
    "Main St",
    "Niagara Falls Blvd",
    "Abbott Rd",
    "Seneca St",
    "Grant St",
    "Union Rd",
    "Transit Rd",
]
PLACES = [
    ("Buffalo", "14209"),
    ("Buffalo", "14216"),
    ("Buffalo", "14220"),
    ("Cheektowaga", "14225"),
    ("Amherst", "14226"),
    ("Tonawanda", "14150"),
    ("West Seneca", "14224"),
    ("Lackawanna", "14218"),
]
PAYERS = [
    "Medicare",
    "Independent Health",
    "BlueCross BlueShield of WNY",
    "Univera Healthcare",
    "Fidelis Care (Medicaid)",
]
PHYSICIANS = ["Dr. Sarah Whitfield", "Dr. Ahmed Karim", "Dr. Laura Chen", "Dr. Michael Brennan"]
# Conditions the clinic sees, as billable ICD-10-CM codes (April 2026 code set).
DIAGNOSES = [
    ["M25.551", "Z96.641"],  # right hip pain after total hip replacement
    ["M54.50"],  # low back pain
    ["M54.2", "M62.81"],  # neck pain, generalized muscle weakness
    ["M75.101"],  # right rotator cuff tear
    ["I69.351"],  # hemiplegia after stroke, right dominant side
    ["M25.561", "R26.81"],  # right knee pain, unsteady on feet
    ["M79.604"],  # pain in right leg
    ["M25.511"],  # pain in right shoulder
    ["G56.01"],  # carpal tunnel syndrome, right
    ["M62.81", "R26.89"],  # weakness, gait abnormality
]
LANGUAGES = ["en"] * 8 + ["es", "bn", "ar", "uk", "pl", "my"]


def _npi(seed: int) -> str:
    body = f"1{seed:08d}"
    return body + luhn.calc_check_digit("80840" + body)


class Command(BaseCommand):
    help = "Create demo users and demo patients (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=36)

    def handle(self, *args, patients: int, **options):
        if not (settings.DEBUG or getattr(settings, "ALLOW_DEMO_DATA", False)):
            raise CommandError("Demo data is only for DEBUG or ALLOW_DEMO_DATA=1 installations.")
        with transaction.atomic():
            users = self._users()
            created = self._patients(count=patients, by=users["frontdesk"])
            evaluations = seed_evaluations(therapist=users["therapist"], colleague=users["therapist2"])
            episodes = seed_episodes(front_desk=users["frontdesk"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(users)} users, {created} new patients, {evaluations} new evaluations, "
                f"{episodes} new episodes of care."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, _cred, role, _staff in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role}")

    def _users(self) -> dict[str, User]:
        users = {}
        for username, first, last, credentials, role, is_staff in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.credentials = first, last, credentials
            user.is_staff = is_staff
            user.email = f"{username}@demo.buffalo-ot.invalid"
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users[username] = user
        return users

    def _patients(self, *, count: int, by: User) -> int:
        created = 0
        for index in range(count):
            phone = f"+1716555{index:04d}"
            if Patient.objects.filter(phone=phone).exists():
                continue
            rng = random.Random(index)  # each demo patient is the same on every machine
            female = index % 2 == 0
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            family = FAMILY[index % len(FAMILY)]
            born = date(1934, 1, 1) + timedelta(days=rng.randint(0, 70 * 365))
            city, postal_code = rng.choice(PLACES)
            language = rng.choice(LANGUAGES)
            register_patient(
                by=by,
                confirmed_not_duplicate=True,
                given_name=given,
                family_name=family,
                preferred_name=rng.choice(["", "", "", given[:3]]),
                date_of_birth=born,
                sex="female" if female else "male",
                phone=phone,
                email=f"{given}.{family}{index}@example.com".lower(),
                address_line1=f"{rng.randint(10, 999)} {rng.choice(STREETS)}",
                city=city,
                state="NY",
                postal_code=postal_code,
                preferred_language=language,
                needs_interpreter=language not in ("en",) and rng.random() < 0.6,
                emergency_contact_name=f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {family}",
                emergency_contact_relationship=rng.choice(["Spouse", "Daughter", "Son", "Partner", "Sister"]),
                emergency_contact_phone=f"+1716556{index:04d}",
                referring_physician_name=rng.choice(PHYSICIANS),
                referring_physician_npi=_npi(index + 2345),
                diagnosis_codes=DIAGNOSES[index % len(DIAGNOSES)],
                insurance_payer=rng.choice(PAYERS),
                insurance_member_id=f"{rng.choice('ABCDEFGH')}{rng.randint(10_000_000, 99_999_999)}",
            )
            created += 1
        return created
