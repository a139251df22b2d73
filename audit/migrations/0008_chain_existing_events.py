"""Chain the events written before events carried hashes, in id order.

Only events without a hash are touched, after the last chained one: run again (the test suite
replays data migrations into an emptied database) it never rewrites an event already chained,
which the append-only trigger would refuse."""

from django.db import migrations

from audit.chain import HASHED_FIELDS, event_hash


def chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.exclude(hash="").order_by("-id").values_list("hash", flat=True).first()
    previous_hash = last or ""
    for event in AuditEvent.objects.filter(hash="").order_by("id").iterator(chunk_size=2000):
        values = {name: getattr(event, name) for name in HASHED_FIELDS}
        event.previous_hash = previous_hash
        event.hash = event_hash(values, previous_hash)
        event.save(update_fields=["previous_hash", "hash"])
        previous_hash = event.hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_event_hash_chain_fields")]
    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
