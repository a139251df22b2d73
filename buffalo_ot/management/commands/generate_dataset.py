"""A clinic network's worth of records for the benchmarks (bench/), written with PostgreSQL COPY.

    manage.py generate_dataset --patients 100000 --evaluations 300000

20 therapists and a front desk; patients with realistic names, birth dates, phones and addresses;
evaluations spread over five years, a third of them complete and signed (every section, about 50
rows: the demo's hip-replacement evaluation, made once through the services and signed, then
copied with each evaluation's own patient, therapist, dates and a seal computed for it exactly as
signing computes it), the rest drafts in progress with their occupational profile only; and an
audit trail (a registration per patient, a signature per signed evaluation) on one valid hash
chain.

Refused on SQLite (COPY is PostgreSQL's) and on a database that already holds patients or
evaluations, unless told to with --allow-existing-data.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from stdnum import luhn

from accounts.models import User
from accounts.roles import FRONT_DESK, THERAPIST
from audit.models import AuditEvent
from buffalo_ot.management.demo_evaluations import _hip_replacement
from evaluations.models import Evaluation, OccupationalProfile
from evaluations.seal import _plain, canonical_content
from evaluations.sections import SECTIONS, SECTIONS_BY_KEY
from evaluations.selectors import fetch_record
from evaluations.services import save_sections, sign_evaluation, start_evaluation
from patients.models import Patient
from patients.services import register_patient

PASSWORD = "dataset-only-password"  # noqa: S105  (the generated therapists' shared password)
GIVEN = [
    "Joan",
    "Maria",
    "Dolores",
    "Aisha",
    "Linda",
    "Hannah",
    "Teresa",
    "Mei",
    "Olena",
    "Grace",
    "Rosa",
    "Fatima",
    "Helen",
    "Irene",
    "Janet",
    "Robert",
    "James",
    "Khalid",
    "Tomasz",
    "Luis",
    "Samuel",
    "Walter",
    "Frank",
    "Ahmed",
    "Kenji",
    "Peter",
    "Victor",
    "George",
    "Omar",
    "Paul",
]
FAMILY = [
    "Kowalski",
    "Nowak",
    "Russo",
    "Garcia",
    "Nguyen",
    "Rahman",
    "Schmidt",
    "Murphy",
    "Hassan",
    "Wisniewski",
    "Ortiz",
    "Brown",
    "Smith",
    "Johnson",
    "Williams",
    "Jones",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kim",
    "Patel",
    "Shah",
    "Okafor",
    "Mensah",
    "Silva",
    "Rossi",
    "Novak",
    "Horvat",
    "Ivanova",
]
STREETS = [
    "Main",
    "Elm",
    "Delaware",
    "Elmwood",
    "Hertel",
    "Niagara",
    "Seneca",
    "Abbott",
    "Bailey",
    "Genesee",
    "Sheridan",
    "Transit",
]


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, Decimal | uuid.UUID | int | float):
        return str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _Stream(io.RawIOBase):
    """Lines produced on demand, read by COPY: nothing is built whole in memory."""

    def __init__(self, lines: Iterable[str]):
        self.lines: Iterator[str] = iter(lines)
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        if len(self.buffer) < len(target):
            parts, size = [self.buffer], len(self.buffer)
            for line in self.lines:
                data = line.encode()
                parts.append(data)
                size += len(data)
                if size >= len(target):
                    break
            self.buffer = b"".join(parts)
        size = min(len(target), len(self.buffer))
        target[:size] = self.buffer[:size]
        self.buffer = self.buffer[size:]
        return size


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _fields(model: type[models.Model], *, ids: bool = True) -> list[models.Field]:
    return [field for field in _columns(model) if ids or not field.primary_key]


def _line(fields: list[models.Field], row: dict[str, Any], defaults: dict[str, Any]) -> str:
    values = []
    for field in fields:
        if field.attname in row:
            value = row[field.attname]
        elif field.attname in defaults:
            value = defaults[field.attname]
        else:
            value = field.get_default()  # a callable default (a fresh UUID)
        values.append(_copy_text(value))
    return "\t".join(values) + "\n"


def _defaults(fields: list[models.Field]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for field in fields:
        if field.has_default() and not callable(field.default):
            defaults[field.attname] = field.get_default()
        elif not field.has_default():
            defaults[field.attname] = (
                None if field.null else ("" if isinstance(field, models.CharField) else None)
            )
    return defaults


def _copy_lines(model: type[models.Model], fields: list[models.Field], lines: Iterable[str]) -> None:
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN",
            io.BufferedReader(_Stream(lines), buffer_size=1 << 20),
        )


def _copy(model: type[models.Model], rows: Iterable[dict[str, Any]], *, ids: bool = True) -> None:
    """COPY rows (by attribute name; a field left out takes its default) into the model's table.
    `ids=False`: the table numbers the rows itself."""
    fields = _fields(model, ids=ids)
    defaults = _defaults(fields)
    _copy_lines(model, fields, (_line(fields, row, defaults) for row in rows))


def _copy_clones(model: type[models.Model], rows: list[dict[str, Any]], evaluation_ids: list[int]) -> None:
    """The template evaluation's rows again for each evaluation: each row's line is made once and
    only the evaluation's id changes."""
    fields = _fields(model, ids=False)
    defaults = _defaults(fields)
    marker = -987_654_321
    templates = [_line(fields, {**row, "evaluation_id": marker}, defaults).split(str(marker)) for row in rows]

    def lines() -> Iterator[str]:
        for pk in evaluation_ids:
            text = str(pk)
            for before, after in templates:
                yield before + text + after

    _copy_lines(model, fields, lines())


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=models.Max("id"))["top"] or 0) + 1


def _reset_sequences(*models_: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                # The table name is our own model's, quoted; no outside text reaches this SQL.
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",  # noqa: S608
                [table],
            )


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=10_000)
        parser.add_argument("--evaluations", type=int, default=30_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-existing-data",
            action="store_true",
            help="Add to a database that already holds patients or evaluations.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_dataset writes with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database."
            )
        if not options["allow_existing_data"] and (
            Patient.objects.exists() or Evaluation.all_objects.exists()
        ):
            raise CommandError(
                "This database already holds patients or evaluations. generate_dataset is for an empty "
                "benchmark database; add --allow-existing-data to add to this one anyway."
            )
        started = time.monotonic()
        rng = random.Random(options["seed"])  # noqa: S311  (made-up records, repeatable by seed)
        desk, therapists = self._staff()
        template = self._template(desk, therapists[0])
        patient_ids = self._patients(options["patients"], desk, rng)
        self.stdout.write(f"{len(patient_ids):,} patients ({time.monotonic() - started:.0f} s)")
        signed = self._evaluations(options["evaluations"], patient_ids, therapists, template, rng)
        self.stdout.write(
            f"{options['evaluations']:,} evaluations, {signed:,} signed ({time.monotonic() - started:.0f} s)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))

    # --- people ------------------------------------------------------------------------------

    def _staff(self) -> tuple[User, list[User]]:
        desk, made = User.objects.get_or_create(
            username="dataset-desk", defaults={"first_name": "Dana", "last_name": "Desk"}
        )
        if made:
            desk.set_password(PASSWORD)
            desk.save()
        desk.groups.add(Group.objects.get(name=FRONT_DESK))
        therapists = []
        for number in range(1, 21):
            user, made = User.objects.get_or_create(
                username=f"dataset-ot{number:02d}",
                defaults={"first_name": GIVEN[number], "last_name": FAMILY[number], "credentials": "OTR/L"},
            )
            if made:
                user.set_password(PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=THERAPIST))
            therapists.append(user)
        return desk, therapists

    def _template(self, desk: User, therapist: User) -> dict[str, Any]:
        """One evaluation made and signed through the services: what every complete one copies."""
        with transaction.atomic():
            patient = register_patient(
                by=desk,
                given_name="Joan",
                family_name="Template",
                date_of_birth=date(1951, 4, 12),
                sex="female",
                confirmed_not_duplicate=True,
            )
            evaluation = start_evaluation(by=therapist, patient=patient, date_of_service=date.today())
            content = _hip_replacement(evaluation.date_of_service, code="97166")  # catalogue entries
            save_sections(
                record=fetch_record(viewer=therapist, public_id=evaluation.public_id),
                by=therapist,
                contents={SECTIONS_BY_KEY[key]: value for key, value in content.items()},
            )
            record = sign_evaluation(
                record=fetch_record(viewer=therapist, public_id=evaluation.public_id),
                by=therapist,
                password=PASSWORD,
            )
        rows = {}
        for section in SECTIONS:
            for spec in section.rows:
                model = spec.model
                names = [f.attname for f in _columns(model) if f.attname not in ("id",)]
                stored = list(model._default_manager.filter(evaluation=evaluation).values(*names))
                if stored:
                    rows[model] = stored
        profile = OccupationalProfile.objects.filter(evaluation=evaluation).values(
            *[f.attname for f in _columns(OccupationalProfile) if f.attname != "id"]
        )[0]
        evaluation_values = Evaluation.objects.filter(pk=evaluation.pk).values(
            *[f.attname for f in _columns(Evaluation)]
        )[0]
        return {
            "rows": rows,
            "profile": profile,
            "evaluation": evaluation_values,
            "canonical": canonical_content(record),
        }

    def _patients(self, count: int, desk: User, rng: random.Random) -> list[tuple[int, uuid.UUID]]:
        first_id = _next_id(Patient)
        start_mrn = 3_000_000 + first_id
        now = datetime.now(UTC)
        made: list[tuple[int, uuid.UUID]] = []

        def rows() -> Iterator[dict[str, Any]]:
            for index in range(count):
                number = str(start_mrn + index)
                public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                made.append((first_id + index, public_id))
                registered = now - timedelta(days=rng.randint(0, 5 * 365), seconds=rng.randint(0, 86_399))
                yield {
                    "id": first_id + index,
                    "public_id": public_id,
                    "mrn": number + luhn.calc_check_digit(number),
                    "given_name": rng.choice(GIVEN),
                    "family_name": rng.choice(FAMILY) + ("" if index % 3 else f"-{rng.choice(FAMILY)}"),
                    "date_of_birth": date(1925, 1, 1) + timedelta(days=rng.randint(0, 75 * 365)),
                    "sex": rng.choice(("female", "male")),
                    "phone": f"+1716{rng.randint(2_000_000, 9_999_999)}",
                    "address_line1": f"{rng.randint(1, 999)} {rng.choice(STREETS)} St",
                    "city": "Buffalo",
                    "state": "NY",
                    "postal_code": f"142{rng.randint(1, 99):02d}",
                    "diagnosis_codes": ["M25.551"],
                    "registered_by_id": desk.pk,
                    "registered_at": registered,
                    "updated_by_id": desk.pk,
                    "updated_at": registered,
                }

        with transaction.atomic():
            _copy(Patient, rows())
            _reset_sequences(Patient)
            self._audit(
                (
                    {
                        "action": "create",
                        "record_type": "patients.patient",
                        "record_id": public_id,
                        "patient": public_id,
                    }
                    for _pk, public_id in made
                ),
                desk,
            )
        return made

    def _evaluations(
        self,
        count: int,
        patients: list[tuple[int, uuid.UUID]],
        therapists: list[User],
        template: dict[str, Any],
        rng: random.Random,
    ) -> int:
        first_id = _next_id(Evaluation)
        first_profile = _next_id(OccupationalProfile)
        today = date.today()
        base = template["evaluation"]
        canonical = template["canonical"]
        signed_ids: list[tuple[int, uuid.UUID]] = []
        plan: list[tuple[int, uuid.UUID, int, uuid.UUID, User, date, bool]] = []
        for index in range(count):
            patient_pk, patient_public = patients[rng.randrange(len(patients))]
            therapist = therapists[rng.randrange(len(therapists))]
            when = today - timedelta(days=rng.randint(0, 5 * 365))
            complete = index % 3 == 0
            plan.append(
                (first_id + index, uuid.uuid4(), patient_pk, patient_public, therapist, when, complete)
            )

        def evaluations() -> Iterator[dict[str, Any]]:
            for pk, public_id, patient_pk, patient_public, therapist, when, complete in plan:
                row = {key: value for key, value in base.items()}
                created = datetime.combine(when, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14)
                row |= {
                    "id": pk,
                    "public_id": public_id,
                    "patient_id": patient_pk,
                    "therapist_id": therapist.pk,
                    "date_of_service": when,
                    "previous_evaluation_id": None,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1,
                }
                if complete:
                    signed_at = created + timedelta(hours=2)
                    sealed = {
                        **canonical,
                        "evaluation": str(public_id),
                        "patient": str(patient_public),
                        "date_of_service": when.isoformat(),
                        "therapist": therapist.username,
                        "previous_evaluation": None,
                        "signed_by": therapist.username,
                        "signed_at": _plain(signed_at),
                    }
                    text = json.dumps(sealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                    row |= {
                        "status": "signed",
                        "signed_by_id": therapist.pk,
                        "signed_at": signed_at,
                        "updated_at": signed_at,
                        "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
                    }
                    signed_ids.append((pk, patient_public))
                else:
                    row |= {
                        "status": "draft",
                        "signed_by_id": None,
                        "signed_at": None,
                        "content_sha256": "",
                        "assessment_summary": "",
                        "sessions_per_week": None,
                        "duration_weeks": None,
                        "home_program": "",
                        "cpt_history": "",
                        "cpt_comorbidities": "",
                        "cpt_assistance": "",
                        "cpt_code": "",
                    }
                yield row

        def profiles() -> Iterator[dict[str, Any]]:
            blank = {name: "" for name, value in template["profile"].items() if isinstance(value, str)}
            for offset, (pk, *_rest, complete) in enumerate(plan):
                row = dict(template["profile"]) if complete else {**template["profile"], **blank}
                row |= {"id": first_profile + offset, "evaluation_id": pk}
                yield row

        with transaction.atomic():
            _copy(Evaluation, evaluations())
            _copy(OccupationalProfile, profiles())
            complete_ids = [entry[0] for entry in plan if entry[-1]]
            for model, rows in template["rows"].items():
                _copy_clones(model, rows, complete_ids)
            _reset_sequences(Evaluation, OccupationalProfile, *template["rows"])
        self._audit(
            (
                {
                    "action": "sign",
                    "record_type": "evaluations.evaluation",
                    "record_id": None,
                    "patient": patient,
                }
                for _pk, patient in signed_ids
            ),
            therapists[0],
        )
        return len(signed_ids)

    def _audit(self, events: Iterable[dict[str, Any]], actor: User) -> None:
        """Audit events on one hash chain, continuing the stored one."""
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        first_id = _next_id(AuditEvent)

        def rows() -> Iterator[dict[str, Any]]:
            nonlocal previous
            for offset, event in enumerate(events):
                record = AuditEvent(
                    actor=actor,
                    actor_username=actor.username,
                    action=event["action"],
                    channel="system",
                    record_type=event["record_type"],
                    record_id=event["record_id"],
                    record_label="generated",
                    patient_public_id=event["patient"],
                    occurred_at=datetime.now(UTC),
                    previous_hash=previous,
                )
                record.hash = record.compute_hash()
                previous = record.hash
                yield {field.attname: getattr(record, field.attname) for field in _columns(AuditEvent)} | {
                    "id": first_id + offset
                }

        with transaction.atomic():
            _copy(AuditEvent, rows())
            _reset_sequences(AuditEvent)
