import importlib
import threading
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.models import User
from audit.choices import Action
from audit.management.commands.verify_audit import Command as VerifyAudit
from audit.models import AuditEvent
from audit.services import record_event


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def tamper():
    """Lift the database's refusal for this test only (the test's transaction undoes it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the deferred foreign-key checks of rows already inserted: ALTER TABLE waits for none.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")


def three_events(user):
    return [record_event(actor=user, action=Action.LOGIN) for _ in range(3)]


def test_each_event_is_chained_to_the_one_before(front_desk):
    first, second, third = three_events(front_desk)

    stored = list(AuditEvent.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("id"))
    assert [event.previous_hash for event in stored[1:]] == [first.hash, second.hash]
    assert all(len(event.hash) == 64 and event.hash == event.compute_hash() for event in stored)


def test_the_hash_covers_the_time_in_utc_and_the_content(front_desk):
    event = record_event(actor=front_desk, action=Action.VIEW, record_label="chart")
    stored = AuditEvent.objects.get(pk=event.pk)

    stored.record_label = "something else"
    assert stored.compute_hash() != event.hash
    stored.record_label = "chart"
    stored.occurred_at = stored.occurred_at.replace(microsecond=(stored.occurred_at.microsecond + 1) % 10**6)
    assert stored.compute_hash() != event.hash


def test_verify_audit_says_the_chain_is_intact(front_desk):
    three_events(front_desk)

    assert verify().startswith(f"{AuditEvent.objects.count()} events, chain intact")


def test_verify_audit_names_a_changed_event(front_desk):
    _first, second, _third = three_events(front_desk)
    tamper()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET record_label = 'nothing to see' WHERE id = %s", [second.pk]
        )

    with pytest.raises(CommandError, match=rf"event #{second.pk} .*hash mismatch"):
        verify()


def test_verify_audit_names_the_event_after_a_removed_one(front_desk):
    _first, second, third = three_events(front_desk)
    tamper()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])

    with pytest.raises(CommandError, match=rf"event #{third.pk} .*missing link"):
        verify()


def test_verify_audit_exits_non_zero_on_a_broken_chain(front_desk):
    _first, second, _third = three_events(front_desk)
    tamper()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'view' WHERE id = %s", [second.pk])

    with pytest.raises(SystemExit) as exited:
        VerifyAudit(stdout=StringIO(), stderr=StringIO()).run_from_argv(["manage.py", "verify_audit"])
    assert exited.value.code == 1


def test_the_database_refuses_to_change_an_event(front_desk):
    event = record_event(actor=front_desk, action=Action.LOGIN)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(record_label="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).record_label == event.record_label


@pytest.mark.postgresql
def test_postgresql_refuses_to_delete_an_event(front_desk):
    event = record_event(actor=front_desk, action=Action.LOGIN)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_written_before_the_chain_are_chained_in_id_order(front_desk):
    migration = importlib.import_module("audit.migrations.0008_chain_existing_events")
    tamper()
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=front_desk, action=Action.LOGIN, channel="system") for _ in range(3)]
    )
    with pytest.raises(CommandError):
        verify()

    migration.chain(apps, None)

    assert verify().startswith(f"{AuditEvent.objects.count()} events, chain intact")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain():
    # A plain account: after another transactional test's flush the role groups are gone.
    writer = User.objects.create_user("writer")
    writers = 8
    barrier = threading.Barrier(writers)
    errors = []

    def append():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                record_event(actor=writer, action=Action.VIEW, record_label="concurrent")
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.filter(record_label="concurrent").count() == writers
    assert len(set(AuditEvent.objects.values_list("previous_hash", flat=True))) == AuditEvent.objects.count()
    assert verify().startswith(f"{AuditEvent.objects.count()} events, chain intact")
