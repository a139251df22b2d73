"""Statistics on each name in capitals, on PostgreSQL (ANALYZE keeps them up to date).

The FHIR Patient search's `family`, `given` and `name` are prefixes of one name (`UPPER(family_name)
LIKE 'YOU%'`). Without statistics the planner guessed such a prefix matched a few dozen patients and
gathered and sorted every match (a common family name: 15,000 rows, 58 ms at a million patients);
with them it knows the prefix is common and reads the register in order until it has its page
(8 ms). A rare prefix is still gathered from the trigram index. PostgreSQL 14 or newer (expression
statistics); SQLite has neither.
"""

from django.db import migrations

COLUMNS = ["family_name", "given_name", "preferred_name"]


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or schema_editor.connection.pg_version < 140000:
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS patient_{column}_upper_stats "
            f"ON (UPPER({column}::text)) FROM patients_patient"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS patient_{column}_upper_stats")


class Migration(migrations.Migration):
    dependencies = [("patients", "0011_grant_patient_import")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
