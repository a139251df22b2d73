from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain in id order and report the first event that was changed "
        "(its hash no longer matches its content) or that follows a removed event (its previous_hash "
        "is not the hash of the event before it). Exits non-zero when the chain is broken."
    )

    def handle(self, *args, **options):
        count = 0
        previous_id, previous_hash = None, ""
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
            if event.previous_hash != previous_hash:
                after = f"event #{previous_id}" if previous_id is not None else "the start of the trail"
                raise CommandError(
                    f"Chain broken at event #{event.pk} ({event.public_id}): missing link — its "
                    f"previous_hash does not match the hash of {after}; an event between them was removed."
                )
            if event.compute_hash() != event.hash:
                raise CommandError(
                    f"Chain broken at event #{event.pk} ({event.public_id}): hash mismatch — the event's "
                    "content was changed after it was written."
                )
            count += 1
            previous_id, previous_hash = event.pk, event.hash
        last = f" (last hash {previous_hash})" if previous_hash else ""
        self.stdout.write(f"{count} events, chain intact{last}")
