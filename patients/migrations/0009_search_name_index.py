"""Name search at a million patients, on PostgreSQL.

- The list-order index also holds the primary key and the preferred name, so a search of one name
  fragment walks it without reading the table until it has its page (patients.selectors.for_paging).
- One trigram index over the three names as one text (patients.selectors.SearchName) replaces the
  three per-name ones: a search of several fragments finds the patients matching all of them in
  one index scan ("walter kim": 24 ms to 6 ms). Its expression is the one Django writes for
  `SearchName` under icontains; a test reads the query plan to keep them the same.
- Statistics on that expression (ANALYZE keeps them): the planner then knows how many patients a
  fragment matches, and walks the list's index for a common one ("owal": one in sixty) but
  gathers a rare one's few matches from the trigram index instead of walking the whole list.

SQLite (the demo database) has no pg_trgm and no covering indexes: only the order index is made.
"""

from django.db import migrations, models

OLD_COLUMNS = ["family_name", "given_name", "preferred_name"]
SEARCH_NAME = "(family_name || ' ' || given_name || ' ' || preferred_name)"


def one_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS patient_search_name_trgm ON patients_patient "
        f"USING gin ((UPPER({SEARCH_NAME}::text)) gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS patient_search_name_stats "
        f"ON (UPPER({SEARCH_NAME}::text)) FROM patients_patient"
    )
    for column in OLD_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS patient_{column}_trgm")


def per_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in OLD_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS patient_{column}_trgm ON patients_patient "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    schema_editor.execute("DROP STATISTICS IF EXISTS patient_search_name_stats")
    schema_editor.execute("DROP INDEX IF EXISTS patient_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_list_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="patient", name="patient_active_order_idx"),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["family_name", "given_name", "date_of_birth", "mrn"],
                include=("id", "preferred_name"),
                name="patient_active_order_idx",
            ),
        ),
        migrations.RunPython(one_search_index, per_name_indexes),
    ]
