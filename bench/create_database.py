"""Create the PostgreSQL database DATABASE_URL names, when it does not exist yet (`make bench`)."""

import os
import sys
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in ("postgres", "postgresql"):
    sys.exit("The benchmark needs PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL.")
name = url.path.lstrip("/")
connection = psycopg2.connect(
    host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
)
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
connection.close()
