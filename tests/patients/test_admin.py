import pytest

from audit.models import AuditEvent
from patients.models import Patient
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db

ADMIN_FORM = {
    "given_name": "Ada",
    "family_name": "Ng",
    "date_of_birth": "1960-01-02",
    "sex": "female",
    "preferred_language": "en",
    "diagnosis_codes": "M54.50",
}


def test_admin_registration_goes_through_the_service(page_client, clinic_admin):
    response = page_client(clinic_admin).post("/admin/patients/patient/add/", ADMIN_FORM)

    assert response.status_code == 302, response.content.decode()[:2000]
    patient = Patient.objects.get()
    assert patient.mrn and patient.registered_by == clinic_admin
    event = AuditEvent.objects.get(action="create")
    assert (event.actor, event.channel) == (clinic_admin, "admin")


def test_admin_refuses_a_possible_duplicate_until_confirmed(page_client, clinic_admin, patient):
    client = page_client(clinic_admin)
    data = {**ADMIN_FORM, "given_name": "Joan", "family_name": "Kowalski", "date_of_birth": "1951-04-12"}

    refused = client.post("/admin/patients/patient/add/", data)
    assert refused.status_code == 200
    assert "Possible duplicate of" in refused.content.decode()
    assert Patient.objects.count() == 1

    client.post("/admin/patients/patient/add/", {**data, "confirmed_not_duplicate": "on"})
    assert Patient.objects.count() == 2


def test_admin_bad_input_is_a_form_error(page_client, clinic_admin):
    response = page_client(clinic_admin).post(
        "/admin/patients/patient/add/",
        {**ADMIN_FORM, "date_of_birth": "2999-01-01", "referring_physician_npi": "1234567890"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Date of birth cannot be in the future." in content
    assert "check digit does not match" in content
    assert Patient.objects.count() == 0


def test_admin_change_is_audited_with_changed_fields(page_client, clinic_admin, patient):
    data = {
        **ADMIN_FORM,
        "given_name": "Joan",
        "family_name": "Kowalski",
        "date_of_birth": "1951-04-12",
        "phone": "+17165550142",
        "diagnosis_codes": "",
        "city": "Buffalo",
    }

    response = page_client(clinic_admin).post(f"/admin/patients/patient/{patient.pk}/change/", data)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.city == "Buffalo"
    event = AuditEvent.objects.get(action="update")
    assert (event.actor, event.channel, event.changed_fields) == (clinic_admin, "admin", ["city"])


def test_admin_view_is_audited(page_client, clinic_admin, patient):
    page_client(clinic_admin).get(f"/admin/patients/patient/{patient.pk}/change/")
    assert AuditEvent.objects.filter(action="view", channel="admin", actor=clinic_admin).count() == 1


def test_admin_cannot_delete_patients_or_audit_events(page_client, clinic_admin, patient):
    client = page_client(clinic_admin)
    client.get(f"/admin/patients/patient/{patient.pk}/change/")
    event = AuditEvent.objects.get(action="view")

    assert client.post(f"/admin/patients/patient/{patient.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "create"}).status_code == 403
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()


def test_audit_trail_is_readable_by_clinic_admins(page_client, clinic_admin, patient):
    content = page_client(clinic_admin).get("/admin/audit/auditevent/").content.decode()
    assert "Kowalski, Joan" in content


def test_clinic_admin_cannot_grant_superuser(page_client, clinic_admin):
    content = (
        page_client(clinic_admin).get(f"/admin/accounts/user/{clinic_admin.pk}/change/").content.decode()
    )
    assert 'name="is_superuser"' not in content
    assert 'name="groups"' in content


def test_history_can_be_read_but_not_reverted_and_reading_is_audited(
    page_client, clinic_admin, patient, therapist
):
    from patients.services import update_patient

    update_patient(patient=patient, by=therapist, given_name="Terry")
    client = page_client(clinic_admin)
    first = patient.history.earliest("history_date")

    assert client.get(f"/admin/patients/patient/{patient.pk}/history/").status_code == 200
    refused = client.post(
        f"/admin/patients/patient/{patient.pk}/history/{first.history_id}/", {"given_name": "Joan"}
    )
    assert refused.status_code == 403

    patient.refresh_from_db()
    assert patient.given_name == "Terry"
    assert AuditEvent.objects.filter(action="view", channel="admin", actor=clinic_admin).count() >= 1


def test_admin_changelist_query_count_is_flat(page_client, clinic_admin, django_assert_num_queries):
    from tests.factories import PatientFactory

    client = page_client(clinic_admin)
    PatientFactory()
    # 11 for the page, and the list read's audit event
    with django_assert_num_queries(11 + AUDIT_EVENT):
        client.get("/admin/patients/patient/")
    PatientFactory.create_batch(30)
    with django_assert_num_queries(11 + AUDIT_EVENT):
        client.get("/admin/patients/patient/")
