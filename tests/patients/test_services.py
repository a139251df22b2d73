import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from audit.models import AuditEvent
from patients.models import Patient
from patients.services import (
    ArchivedPatient,
    PossibleDuplicate,
    archive_patient,
    register_patient,
    restore_patient,
    update_patient,
)

pytestmark = pytest.mark.django_db


def test_registration_assigns_sequential_mrns_with_a_check_digit(front_desk):
    first = register_patient(
        by=front_desk, given_name="Ada", family_name="Ng", date_of_birth=datetime.date(1960, 1, 2)
    )
    second = register_patient(
        by=front_desk, given_name="Bo", family_name="Ng", date_of_birth=datetime.date(1961, 1, 2)
    )

    # 1000000: Luhn doubles every other digit from the right: 1 -> 2, sum 2, check (10 - 2) % 10 = 8.
    assert first.mrn == "10000008"
    assert luhn.is_valid(second.mrn)
    assert int(second.mrn[:-1]) == int(first.mrn[:-1]) + 1


def test_registration_strips_and_normalizes_input(front_desk):
    patient = register_patient(
        by=front_desk,
        given_name="  Ada ",
        family_name=" Ng",
        date_of_birth=datetime.date(1960, 1, 2),
        diagnosis_codes=["m5450", " z96641 "],
    )
    assert (patient.given_name, patient.family_name) == ("Ada", "Ng")
    assert patient.diagnosis_codes == ["M54.50", "Z96.641"]
    assert patient.diagnoses[0] == {"code": "M54.50", "description": "Low back pain, unspecified"}


def test_registration_writes_one_create_event_attributed_to_the_clerk(front_desk):
    patient = register_patient(
        by=front_desk, given_name="Ada", family_name="Ng", date_of_birth=datetime.date(1960, 1, 2)
    )

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.channel) == (front_desk, "create", "system")
    assert event.record_id == patient.public_id
    assert event.patient_public_id == patient.public_id
    assert event.changed_fields == ["date_of_birth", "family_name", "given_name"]


def test_same_name_and_birth_date_is_a_possible_duplicate_whatever_the_case(patient, front_desk):
    with pytest.raises(PossibleDuplicate) as stopped:
        register_patient(
            by=front_desk, given_name="JOAN", family_name="kowalski", date_of_birth=patient.date_of_birth
        )

    assert stopped.value.matches == [patient]
    assert Patient.objects.count() == 1
    assert AuditEvent.objects.filter(action="create").count() == 1


def test_same_phone_is_a_possible_duplicate(patient, front_desk):
    with pytest.raises(PossibleDuplicate):
        register_patient(
            by=front_desk,
            given_name="Walt",
            family_name="Kowalski",
            date_of_birth=datetime.date(1950, 1, 1),
            phone="(716) 555-0142",
        )
    assert Patient.objects.count() == 1


def test_confirmed_different_person_is_registered(patient, front_desk):
    twin = register_patient(
        by=front_desk,
        confirmed_not_duplicate=True,
        given_name="Joan",
        family_name="Kowalski",
        date_of_birth=patient.date_of_birth,
    )
    assert twin.mrn != patient.mrn
    assert Patient.objects.count() == 2


def test_archived_patients_are_offered_as_matches_so_a_returning_patient_is_restored(patient, front_desk):
    archive_patient(patient=patient, by=front_desk, reason="discharged")

    with pytest.raises(PossibleDuplicate) as stopped:
        register_patient(
            by=front_desk, given_name="Joan", family_name="Kowalski", date_of_birth=patient.date_of_birth
        )

    assert stopped.value.extra()["matches"][0]["status"] == "archived"
    assert Patient.objects.count() == 1


def test_names_match_whatever_the_case_of_accented_letters(front_desk):
    born = datetime.date(1950, 5, 5)
    register_patient(by=front_desk, given_name="Élodie", family_name="Østergård", date_of_birth=born)
    with pytest.raises(PossibleDuplicate):
        register_patient(by=front_desk, given_name="élodie", family_name="østergård", date_of_birth=born)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", datetime.date(2999, 1, 1), "cannot be in the future"),
        ("date_of_birth", datetime.date(1850, 1, 1), "check the year"),
        ("referring_physician_npi", "1234567890", "check digit"),
        ("diagnosis_codes", ["M54.5"], "not a billable code"),
        ("diagnosis_codes", ["QQQ"], "not an ICD-10-CM code"),
        ("given_name", "x" * 101, "at most 100 characters"),
        ("email", "not-an-email", "valid email"),
        ("phone", "12", "phone number entered is not valid"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(front_desk, field, value, message):
    details = {
        "given_name": "Ada",
        "family_name": "Ng",
        "date_of_birth": datetime.date(1960, 1, 2),
        field: value,
    }

    with pytest.raises(ValidationError) as refused:
        register_patient(by=front_desk, **details)

    assert message in " ".join(refused.value.message_dict[field])
    assert Patient.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_update_writes_only_the_fields_that_changed(patient, therapist):
    update_patient(patient=patient, by=therapist, given_name="Joan", city="Buffalo", state="NY")

    patient.refresh_from_db()
    assert (patient.city, patient.state, patient.updated_by) == ("Buffalo", "NY", therapist)
    event = AuditEvent.objects.get(action="update")
    assert (event.actor, event.changed_fields) == (therapist, ["city", "state"])
    assert patient.history.first().history_user == therapist


def test_update_with_no_change_writes_nothing(patient, therapist):
    update_patient(patient=patient, by=therapist, given_name="Joan")
    assert not AuditEvent.objects.filter(action="update").exists()


def test_bad_update_leaves_the_stored_record_unchanged(patient, therapist):
    with pytest.raises(ValidationError):
        update_patient(patient=patient, by=therapist, city="Buffalo", date_of_birth=datetime.date(2999, 1, 1))

    patient.refresh_from_db()
    assert patient.city == ""
    assert patient.date_of_birth == datetime.date(1951, 4, 12)
    assert not AuditEvent.objects.filter(action="update").exists()


def test_archive_keeps_the_record_and_attributes_it(patient, front_desk):
    archive_patient(patient=patient, by=front_desk, reason="moved to Rochester")

    patient.refresh_from_db()
    assert patient.is_archived
    assert (patient.archived_by, patient.archive_reason) == (front_desk, "moved to Rochester")
    assert AuditEvent.objects.filter(action="archive", actor=front_desk).count() == 1


def test_archive_needs_a_reason(patient, front_desk):
    with pytest.raises(ValidationError):
        archive_patient(patient=patient, by=front_desk, reason="  ")
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archived_patient_cannot_be_changed_until_restored(patient, front_desk):
    archive_patient(patient=patient, by=front_desk, reason="moved")

    with pytest.raises(ArchivedPatient):
        update_patient(patient=patient, by=front_desk, city="Buffalo")

    restore_patient(patient=patient, by=front_desk)
    update_patient(patient=patient, by=front_desk, city="Buffalo")
    patient.refresh_from_db()
    assert (patient.is_archived, patient.city) == (False, "Buffalo")


@pytest.mark.parametrize(
    ("day", "age"),
    [(datetime.date(2026, 4, 11), 74), (datetime.date(2026, 4, 12), 75), (datetime.date(2027, 1, 1), 75)],
)
def test_age_counts_whole_years_up_to_the_birthday(patient, day, age):
    # born 1951-04-12
    assert patient.age_on(day) == age
