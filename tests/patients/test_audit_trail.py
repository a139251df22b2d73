"""The per-patient audit trail page: who has seen or changed this record."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from audit.choices import Action
from audit.models import AuditEvent
from audit.services import _append, record_event, record_list_read
from tests.factories import PatientFactory
from tests.queries import AUDIT_EVENT


def trail_url(patient, query=""):
    return f"/patients/{patient.public_id}/audit/{query}"


@pytest.mark.parametrize("role", ["front_desk", "therapist"])
def test_only_clinic_admins_read_the_trail(page_client, users, patient, role):
    response = page_client(users[role]).get(trail_url(patient))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(record_type="audit.auditevent").exists()


def test_the_chart_links_to_the_trail_for_clinic_admins_only(page_client, clinic_admin, front_desk, patient):
    link = f'href="{trail_url(patient)}"'

    assert link in page_client(clinic_admin).get(f"/patients/{patient.public_id}/").content.decode()
    assert link not in page_client(front_desk).get(f"/patients/{patient.public_id}/").content.decode()


def test_the_trail_lists_the_patients_events_and_the_lists_that_showed_them(
    page_client, clinic_admin, front_desk, patient
):
    other = PatientFactory()
    record_list_read(
        actor=front_desk, record_type="home", label="Home page list", patient_public_ids=[patient.public_id]
    )
    record_event(actor=front_desk, action=Action.VIEW, record=other)

    response = page_client(clinic_admin).get(trail_url(patient))

    events = list(response.context["page"].object_list)
    labels = [event.record_label for event in events]
    assert "Home page list" in labels
    assert str(other) not in labels
    assert all(
        event.patient_public_id == patient.public_id or str(patient.public_id) in event.listed_patient_ids
        for event in events
    )
    assert labels[0].startswith("Audit trail of")  # the read itself, newest first


def test_reading_the_trail_is_audited(page_client, clinic_admin, patient):
    page_client(clinic_admin).get(trail_url(patient))

    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.record_type, event.patient_public_id) == (
        clinic_admin,
        Action.VIEW,
        "audit.auditevent",
        patient.public_id,
    )


def test_the_trail_filters_by_action_and_days_in_clinic_time(page_client, clinic_admin, front_desk, patient):
    record_event(actor=front_desk, action=Action.VIEW, record=patient)
    old_day = timezone.localdate() - timedelta(days=10)
    with_time = timezone.make_aware(datetime.combine(old_day, time.min))
    # Events never change, so the old one is appended with its old time.
    old_event = AuditEvent(
        actor=front_desk,
        action=Action.UPDATE,
        channel="page",
        patient_public_id=patient.public_id,
        occurred_at=with_time,
        record_label="long ago",
    )
    _append(old_event)
    client = page_client(clinic_admin)

    updates = client.get(trail_url(patient, "?action=update")).context["page"].object_list
    recent = client.get(trail_url(patient, f"?since={timezone.localdate().isoformat()}")).context["page"]
    long_ago = client.get(
        trail_url(patient, f"?since={old_day.isoformat()}&until={old_day.isoformat()}")
    ).context["page"]

    assert {event.action for event in updates} == {Action.UPDATE}
    assert "long ago" not in [event.record_label for event in recent.object_list]
    assert [event.record_label for event in long_ago.object_list] == ["long ago"]


def test_a_reversed_range_is_a_clear_error(page_client, clinic_admin, patient):
    response = page_client(clinic_admin).get(trail_url(patient, "?since=2026-02-01&until=2026-01-01"))

    assert response.status_code == 400
    assert "must be on or before" in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_the_trail_is_paginated_with_a_fixed_query_count(
    page_client, clinic_admin, front_desk, patient, django_assert_num_queries
):
    client = page_client(clinic_admin)
    # session, user, permissions (2), patient, the read's audit event, count, page,
    # session refresh (3)
    with django_assert_num_queries(10 + AUDIT_EVENT):
        client.get(trail_url(patient))
    for _ in range(60):
        record_event(actor=front_desk, action=Action.VIEW, record=patient)
    with django_assert_num_queries(10 + AUDIT_EVENT):
        response = client.get(trail_url(patient))

    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2
