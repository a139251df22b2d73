import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient
from patients.services import update_patient
from tests.factories import PatientFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Ada",
    "family_name": "Ng",
    "date_of_birth": "1960-01-02",
    "sex": "female",
    "preferred_language": "en",
    "phone": "716-555-0199",
    "diagnosis_codes": "M25.551, z96641",
    "referring_physician_npi": "1234567893",
}

# role -> expected status for each page (GET). 302 = sent to log in.
PAGES = {
    "home": (
        "/",
        {"anonymous": 302, "nobody": 200, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "list": (
        "/patients/",
        {"anonymous": 302, "nobody": 403, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "register": (
        "/patients/new/",
        {"anonymous": 302, "nobody": 403, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "detail": (
        "/patients/{id}/",
        {"anonymous": 302, "nobody": 403, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "edit": (
        "/patients/{id}/edit/",
        {"anonymous": 302, "nobody": 403, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "archive": (
        "/patients/{id}/archive/",
        {"anonymous": 302, "nobody": 403, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
    "admin": (
        "/admin/",
        {"anonymous": 302, "nobody": 302, "front_desk": 302, "therapist": 302, "clinic_admin": 200},
    ),
    "admin-patients": (
        "/admin/patients/patient/",
        {"anonymous": 302, "nobody": 302, "front_desk": 302, "therapist": 302, "clinic_admin": 200},
    ),
    "admin-audit": (
        "/admin/audit/auditevent/",
        {"anonymous": 302, "nobody": 302, "front_desk": 302, "therapist": 302, "clinic_admin": 200},
    ),
    "api-docs": (
        "/api/v1/docs/",
        {"anonymous": 401, "nobody": 200, "front_desk": 200, "therapist": 200, "clinic_admin": 200},
    ),
}
MATRIX = [(page, role, status) for page, (_url, roles) in PAGES.items() for role, status in roles.items()]


@pytest.mark.parametrize(("page", "role", "expected"), MATRIX)
def test_page_permission_matrix(client, users, patient, page, role, expected):
    url = PAGES[page][0].format(id=patient.public_id)
    if role != "anonymous":
        client.force_login(users[role])

    response = client.get(url)

    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["anonymous", "nobody"])
def test_roles_without_permission_cannot_register_or_archive(client, users, patient, role):
    if role != "anonymous":
        client.force_login(users[role])
    client.post("/patients/new/", FORM)
    client.post(f"/patients/{patient.public_id}/archive/", {"reason": "test"})
    client.post(f"/patients/{patient.public_id}/edit/", {**FORM, "given_name": "Changed"})
    patient.refresh_from_db()
    assert Patient.objects.count() == 1
    assert (patient.is_archived, patient.given_name) == (False, "Joan")


def test_register_creates_the_patient_and_opens_the_chart(page_client, front_desk):
    response = page_client(front_desk).post("/patients/new/", FORM, follow=True)

    patient = Patient.objects.get()
    assert response.redirect_chain[-1][0] == f"/patients/{patient.public_id}/"
    content = response.content.decode()
    assert f"Registered Ng, Ada, MRN {patient.mrn}" in content
    assert "Pain in right hip" in content
    assert patient.phone.as_e164 == "+17165550199"
    assert AuditEvent.objects.filter(action="create", channel="page", actor=front_desk).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date_of_birth": "2999-01-01"}, "Date of birth cannot be in the future."),
        ({"referring_physician_npi": "1234567890"}, "check digit does not match"),
        ({"diagnosis_codes": "M54.5"}, "not a billable code"),
        ({"given_name": ""}, "This field is required."),
        ({"given_name": "x" * 101}, "at most 100 characters"),
        ({"phone": "12"}, "Enter a valid phone number"),
        ({"postal_code": "1420"}, "zip code in the format XXXXX or XXXXX-XXXX"),
    ],
)
def test_bad_input_re_renders_the_form_with_what_was_typed(page_client, front_desk, change, message):
    response = page_client(front_desk).post("/patients/new/", {**FORM, "city": "Lackawanna", **change})

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Lackawanna"' in content
    assert Patient.objects.count() == 0


def test_possible_duplicate_is_shown_and_needs_confirmation(page_client, front_desk, patient):
    client = page_client(front_desk)
    data = {**FORM, "given_name": "Joan", "family_name": "kowalski", "date_of_birth": "1951-04-12"}

    first = client.post("/patients/new/", data)

    assert first.status_code == 200
    content = first.content.decode()
    assert "Possible duplicate" in content
    assert patient.mrn in content
    assert 'type="checkbox" name="confirmed_not_duplicate"' in content
    assert Patient.objects.count() == 1

    client.post("/patients/new/", {**data, "confirmed_not_duplicate": "on"})
    assert Patient.objects.count() == 2


def edit_form_data(client, patient, **changes):
    """What the edit page holds when loaded, with the clerk's changes typed in."""
    form = client.get(f"/patients/{patient.public_id}/edit/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is False or value is None:
            continue
        data[name] = ", ".join(value) if isinstance(value, list) else value
    return {**data, **changes}


def test_edit_saves_changes_and_audits_them(page_client, therapist, patient):
    client = page_client(therapist)
    data = edit_form_data(client, patient, city="Buffalo")

    response = client.post(f"/patients/{patient.public_id}/edit/", data)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.city == "Buffalo"
    event = AuditEvent.objects.get(action="update")
    assert (event.actor, event.channel, event.changed_fields) == (therapist, "page", ["city"])


def test_a_change_made_meanwhile_is_not_overwritten_and_the_typing_is_kept(
    page_client, front_desk, therapist, patient
):
    client = page_client(front_desk)
    data = edit_form_data(client, patient, city="Buffalo")
    update_patient(patient=patient, by=therapist, phone="+17165550999")  # someone else, meanwhile

    refused = client.post(f"/patients/{patient.public_id}/edit/", data)

    assert refused.status_code == 409
    assert "changed this record" in refused.content.decode()
    patient.refresh_from_db()
    assert (patient.phone.as_e164, patient.city) == ("+17165550999", "")
    # The form holds the clerk's entry on top of the record as it is now.
    form = refused.context["form"]
    assert form["city"].value() == "Buffalo"
    assert str(form["phone"].value()) == "+17165550999"

    # Saving that form again applies the clerk's entry without undoing the other change.
    again = client.post(f"/patients/{patient.public_id}/edit/", {**data, **form_data(form)})
    assert again.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone.as_e164, patient.city) == ("+17165550999", "Buffalo")


def test_both_changing_one_field_is_named_and_the_clerks_entry_is_kept(
    page_client, front_desk, therapist, patient
):
    client = page_client(front_desk)
    data = edit_form_data(client, patient, city="Buffalo")
    update_patient(patient=patient, by=therapist, city="Lackawanna")

    refused = client.post(f"/patients/{patient.public_id}/edit/", data)

    assert refused.status_code == 409
    assert "You both changed: City" in refused.content.decode()
    assert refused.context["form"]["city"].value() == "Buffalo"
    patient.refresh_from_db()
    assert patient.city == "Lackawanna"


def form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is False or value is None:
            continue
        data[name] = ", ".join(value) if isinstance(value, list) else str(value)
    return data


def test_edit_form_shows_current_values(page_client, front_desk, patient):
    content = page_client(front_desk).get(f"/patients/{patient.public_id}/edit/").content.decode()
    assert 'value="Kowalski"' in content
    assert 'value="1951-04-12"' in content


def test_archive_and_restore_from_the_chart(page_client, front_desk, patient):
    client = page_client(front_desk)
    client.post(f"/patients/{patient.public_id}/archive/", {"reason": "moved to Rochester"})
    patient.refresh_from_db()
    assert patient.archive_reason == "moved to Rochester"
    chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "Archived" in chart and "Restore to active" in chart

    client.post(f"/patients/{patient.public_id}/restore/")
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archived_patient_cannot_be_edited_from_the_page(page_client, front_desk, patient):
    client = page_client(front_desk)
    client.post(f"/patients/{patient.public_id}/archive/", {"reason": "moved"})
    response = client.post(f"/patients/{patient.public_id}/edit/", {**FORM, "city": "Buffalo"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.city == ""


def test_chart_view_writes_one_audit_event_for_the_patient(page_client, front_desk, patient):
    page_client(front_desk).get(f"/patients/{patient.public_id}/")
    event = AuditEvent.objects.get(action="view", record_type="patients.patient")
    assert (event.actor, event.channel, event.record_id) == (front_desk, "page", patient.public_id)


def test_unknown_patient_page_is_404(page_client, front_desk):
    assert page_client(front_desk).get("/patients/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_search_by_name_fragment_mrn_birth_date_and_phone(page_client, front_desk, patient):
    PatientFactory(given_name="Robert", family_name="Nowak", date_of_birth="1948-09-30", phone="+17165550100")
    client = page_client(front_desk)

    def found(query):
        content = client.get("/patients/", {"q": query}).content.decode()
        return [name for name in ("Kowalski, Joan", "Nowak, Robert") if name in content]

    assert found("owal") == ["Kowalski, Joan"]
    assert found("rob now") == ["Nowak, Robert"]
    assert found(patient.mrn) == ["Kowalski, Joan"]
    assert found("09/30/1948") == ["Nowak, Robert"]
    assert found("(716) 555-0100") == ["Nowak, Robert"]
    assert found("555-0100") == ["Nowak, Robert"]  # local number in the clinic's area code
    assert found("zzz") == []


def test_list_query_count_is_the_same_for_1_and_50_patients(
    page_client, front_desk, django_assert_num_queries
):
    client = page_client(front_desk)
    PatientFactory()
    # session, user, permissions (2), page (no count: the list pages by cursor), and the
    # idle-timeout session refresh (savepoint, update, release)
    with django_assert_num_queries(8):
        one = client.get("/patients/")
    PatientFactory.create_batch(49)
    with django_assert_num_queries(8):
        many = client.get("/patients/?status=all")
    assert one.status_code == many.status_code == 200
    assert many.content.decode().count('href="/patients/') >= 25 + 1


def test_list_pages_by_cursor_and_counts_only_a_search(page_client, front_desk):
    import re

    for number in range(30):
        PatientFactory(family_name=f"Name{number:02d}", given_name="Ann")
    client = page_client(front_desk)
    first = client.get("/patients/").content.decode()
    assert "Name00" in first and "Name24" in first and "Name25" not in first
    assert "patients matching" not in first  # the whole register is not counted
    (next_link,) = re.findall(r'href="\?(cursor=[^"]+)">Next', first)
    second = client.get(f"/patients/?{next_link}").content.decode()
    assert "Name25" in second and "Name29" in second and "Name24" not in second
    assert re.search(r'<span class="page-link">Next</span>', second)  # the last page
    searched = client.get("/patients/?q=name2").content.decode()
    assert "10 patients matching “name2”" in searched
    assert client.get("/patients/?cursor=garbage").status_code == 200  # a mangled link starts over


def test_home_lists_todays_registrations(page_client, front_desk, patient):
    content = page_client(front_desk).get(reverse("home")).content.decode()
    assert "Kowalski, Joan" in content


def test_two_digit_birth_years_are_last_century(page_client, front_desk):
    PatientFactory(given_name="Grace", family_name="Brown", date_of_birth="1936-12-03")
    content = page_client(front_desk).get("/patients/", {"q": "12/03/36"}).content.decode()
    assert "Brown, Grace" in content


def test_a_refused_search_shows_nobody(page_client, front_desk, patient):
    response = page_client(front_desk).get("/patients/", {"q": "x" * 150})
    assert response.status_code == 200
    assert "Kowalski" not in response.content.decode()


@pytest.mark.parametrize("query", ["a " * 1000, "%_%", "12/34/5678", "+", "-"])
def test_abusive_page_searches_never_500(page_client, front_desk, query):
    assert page_client(front_desk).get("/patients/", {"q": query[:100]}).status_code == 200
    assert page_client(front_desk).get("/admin/patients/patient/", {"q": query}).status_code in (200, 302)


def test_page_search_is_audited(page_client, front_desk, patient):
    page_client(front_desk).get("/patients/", {"q": "kowal"})
    event = AuditEvent.objects.get(action="search")
    assert (event.actor, event.channel) == (front_desk, "page")


def test_opening_the_edit_page_is_a_view(page_client, front_desk, patient):
    page_client(front_desk).get(f"/patients/{patient.public_id}/edit/")
    assert AuditEvent.objects.filter(action="view", actor=front_desk, channel="page").count() == 1


def test_archive_from_the_page_writes_one_event(page_client, front_desk, patient):
    page_client(front_desk).post(f"/patients/{patient.public_id}/archive/", {"reason": "moved"})
    assert list(AuditEvent.objects.filter(action="archive").values_list("actor", "channel")) == [
        (front_desk.pk, "page")
    ]


def test_chart_query_count_is_fixed(page_client, front_desk, patient, django_assert_num_queries):
    client = page_client(front_desk)
    # session, user, permissions (2), patient with its users, audit event, evaluations panel
    # and its audit event, episodes panel, session refresh (3)
    with django_assert_num_queries(10 + 2 * AUDIT_EVENT):
        assert client.get(f"/patients/{patient.public_id}/").status_code == 200


def test_home_query_count_is_the_same_for_1_and_20_registrations(
    page_client, front_desk, django_assert_num_queries
):
    client = page_client(front_desk)
    PatientFactory()
    # session, user, groups, permissions (2), today's registrations, the lists' audit event,
    # session refresh (3)
    with django_assert_num_queries(9 + AUDIT_EVENT):
        client.get("/")
    PatientFactory.create_batch(19)
    with django_assert_num_queries(9 + AUDIT_EVENT):
        client.get("/")
