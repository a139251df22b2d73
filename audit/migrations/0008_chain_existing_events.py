"""Chain the events written before events carried hashes, in id order."""

from django.db import migrations

from audit.chain import HASHED_FIELDS, event_hash


def chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous_hash = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        values = {name: getattr(event, name) for name in HASHED_FIELDS}
        event.previous_hash = previous_hash
        event.hash = event_hash(values, previous_hash)
        event.save(update_fields=["previous_hash", "hash"])
        previous_hash = event.hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_event_hash_chain_fields")]
    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
