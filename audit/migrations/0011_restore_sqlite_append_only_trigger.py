"""SQLite rebuilds a table to change a constraint (0010), and the rebuild drops its triggers:
put the append-only trigger back. Any later migration that alters audit_auditevent on SQLite
needs the same step after it. PostgreSQL alters in place and keeps its trigger."""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS audit_event_append_only BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
"""


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_integrity_and_password_actions")]
    operations = [migrations.RunPython(restore_trigger, migrations.RunPython.noop)]
