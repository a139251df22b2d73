"""The benchmark dataset: written with COPY on PostgreSQL, every signed evaluation's seal holding
and the audit chain intact, and refused where it does not belong."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent
from evaluations.models import Evaluation
from evaluations.seal import check_seal
from evaluations.sections import SECTIONS
from evaluations.selectors import fetch_record
from patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.mark.postgresql
def test_a_small_network_is_written_sealed_and_chained():
    call_command("generate_dataset", patients=60, evaluations=90, verbosity=0)
    assert Patient.objects.count() == 60 + 1  # and the template's patient
    assert Evaluation.objects.count() == 90 + 1
    assert Evaluation.objects.filter(status="signed").count() == 30 + 1  # a third, and the template
    for evaluation in Evaluation.objects.filter(status="signed").order_by("?")[:5]:
        record = fetch_record(viewer=evaluation.therapist, public_id=evaluation.public_id)
        assert check_seal(record).state == "intact"
        assert sum(len(record.rows(spec)) for section in SECTIONS for spec in section.rows) >= 40
    draft = Evaluation.objects.filter(status="draft").first()
    assert fetch_record(viewer=draft.therapist, public_id=draft.public_id).evaluation.profile is not None
    events = list(AuditEvent.objects.order_by("id"))
    assert all(event.hash == event.compute_hash() for event in events)
    assert all(later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    with pytest.raises(CommandError, match="already holds patients"):
        call_command("generate_dataset", patients=1, evaluations=1, verbosity=0)


def test_it_is_refused_on_sqlite_and_where_real_records_are(patient):
    # SQLite has no COPY; on PostgreSQL, a registered patient is data the dataset must not mix with.
    expected = "already holds patients" if connection.vendor == "postgresql" else "PostgreSQL COPY"
    with pytest.raises(CommandError, match=expected):
        call_command("generate_dataset", patients=1, evaluations=1, verbosity=0)
    assert Patient.objects.count() == 1
