"""The benchmark's WSGI application: the project's own, plus the raw-SQL + orjson floor.

gunicorn serves `bench.floor:application` in the benchmark only (production serves
`buffalo_ot.wsgi`). A request under `/__floor__/<name>` skips Django entirely: on the worker's
own PostgreSQL connection it runs the statements the endpoint itself ran (recorded by
bench/endpoints.py from one request, literals included), and answers the rows of those that read
the endpoint's data encoded with orjson (or, for a kept report, the stored file's bytes):

- `/__floor__/<name>`: every statement, in the endpoint's order: the token or session lookup,
  the permission reads, the data, and the audit event the read of patient data must write
  (its lock, the chain's last hash, the insert with a fresh id, the commit). What the endpoint
  must do, done with nothing in between.
- `/__floor__/<name>/data`: only the data's SELECTs.

So each endpoint and its floors run in the same worker processes, against the same database, in
the same run; they differ only by what Django, DRF and the project's code add. Any other path
goes to the project. The audit events the floor writes carry the recorded event's hash: run
against a generated database only.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

import orjson
from django.core.wsgi import get_wsgi_application

django_application = get_wsgi_application()

from django.db import connection  # noqa: E402  (after the settings are loaded)

PREFIX = "/__floor__/"
PLANS: dict[str, dict] = json.loads(Path(os.environ["BENCH_FLOOR_PLANS"]).read_text())
FIRST_UUID = re.compile(r"'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'::uuid")


def floor(name: str, *, data_only: bool) -> tuple[bytes, str]:
    plan = PLANS[name]
    connection.ensure_connection()
    results = []
    with connection.connection.cursor() as cursor:
        for kind, sql in plan["statements"]:
            if kind == "duty":
                if data_only:
                    continue
                if sql.startswith("INSERT"):  # a new row: a new public id (the first uuid written)
                    sql = FIRST_UUID.sub(f"'{uuid.uuid4()}'::uuid", sql, count=1)
                cursor.execute(sql)
                continue
            cursor.execute(sql)
            columns = [column.name for column in cursor.description or []]
            results.append([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])
    if plan.get("file"):
        return Path(plan["file"]).read_bytes(), "application/pdf"
    return orjson.dumps(results, default=str), "application/json"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return django_application(environ, start_response)
    name, _slash, part = path.removeprefix(PREFIX).partition("/")
    body, content_type = floor(name, data_only=part == "data")
    start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
