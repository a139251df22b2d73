"""On PostgreSQL, trigram indexes make name-fragment search (icontains) fast at a million patients.

Django's icontains becomes `UPPER(col::text) LIKE UPPER('%frag%')`; these GIN indexes on the
same expressions serve it. SQLite (the demo database) has no pg_trgm: nothing is done there.
"""

from django.db import migrations

COLUMNS = ["family_name", "given_name", "preferred_name"]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS patient_{column}_trgm ON patients_patient "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS patient_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_postal_code_format")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
