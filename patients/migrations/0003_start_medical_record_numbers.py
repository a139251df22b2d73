"""MRNs start at 1000000 (plus check digit), so every MRN has the same eight digits for years."""

from django.db import migrations


def start_sequence(apps, schema_editor):
    Sequence = apps.get_model("patients", "MedicalRecordNumberSequence")
    Sequence.objects.get_or_create(pk=1, defaults={"last_value": 999999})


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_grant_role_permissions")]
    operations = [migrations.RunPython(start_sequence, migrations.RunPython.noop)]
