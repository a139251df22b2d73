"""Locks held until the end of the current transaction, for checks that no row lock can cover.

A row lock serializes writers of one row; a check over rows that do not exist yet (is this person
already registered?) needs a lock on the *question*. PostgreSQL's transaction-scoped advisory locks
do that. SQLite needs none: every write transaction there starts with BEGIN IMMEDIATE (settings),
so writers already run one at a time.
"""

import hashlib

from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for a lock name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def lock_for_transaction(*names: str) -> None:
    """Wait for, then hold until commit or rollback, the locks named. Call inside `transaction.atomic`.

    Locks are taken in a fixed order, so two transactions asking for overlapping names cannot deadlock."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_key(name) for name in names})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
