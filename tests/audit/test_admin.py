from audit.choices import Action
from audit.models import AuditEvent
from audit.services import record_event


def test_the_admin_cannot_change_or_delete_an_event(page_client, clinic_admin):
    event = record_event(actor=clinic_admin, action=Action.LOGIN)
    client = page_client(clinic_admin)

    change = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"record_label": "rewritten"})
    delete = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.record_label, stored.hash) == (event.record_label, event.hash)
