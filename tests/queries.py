"""Query counts that depend on the database."""

from django.db import connection

# Appending one audit event: on PostgreSQL the advisory lock, the last hash and the insert;
# on SQLite (whose transactions already hold the write lock) the last hash and the insert.
AUDIT_EVENT = 3 if connection.vendor == "postgresql" else 2
