# make run  — set up everything and serve the demo on http://127.0.0.1:8000
# make test — set up everything and run the whole suite (DATABASE_URL picks the database)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test test-redis lint format migrations-check deploy-check api-fuzz bench pdf-deps system-deps clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP) pdf-deps
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py episode_clock --schedule
	@echo "Serving on http://127.0.0.1:8000/ with the background worker (log in with a demo user above; Ctrl-C stops both)"
	DEBUG=1 $(BIN)/python manage.py jobs_worker --interval 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production profile: gunicorn with DEBUG off, behind a TLS-terminating proxy (README, "Production").
# Needs SECRET_KEY (and usually DATABASE_URL, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS) in the environment.
serve: $(STAMP) pdf-deps
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY (a long random value) in the environment" >&2; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py episode_clock --schedule
	$(BIN)/python manage.py jobs_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn buffalo_ot.wsgi:application --config gunicorn.conf.py

# Django's deployment checklist against the production settings: must print no warnings.
deploy-check: $(STAMP)
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=ot.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# System packages, installed when missing and we are root (otherwise we say what to install):
# Pango for WeasyPrint's PDF reports, and Debian's Chromium for the browser tests.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(PDF_PACKAGES) chromium
define install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing system packages: sudo apt-get install $$missing" >&2; exit 1; fi; fi
endef

pdf-deps:
	$(call install_missing,$(PDF_PACKAGES))

system-deps:
	$(call install_missing,$(TEST_PACKAGES))

test: $(STAMP) system-deps
	SECRET_KEY=test-only-not-secret $(BIN)/pytest

# The background jobs' tests again on the Redis-backed backend (django-tasks-rq), against the
# Redis in TEST_REDIS_URL (a database of its own: each test empties it).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
REDIS_TESTS := tests/fhir/test_export.py tests/patients/test_import.py \
  tests/episodes/test_daily.py::test_the_daily_job_runs_in_the_worker_and_queues_the_next_morning
test-redis: $(STAMP)
	SECRET_KEY=test-only-not-secret TASKS_REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(REDIS_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	SECRET_KEY=type-check-only DEBUG=1 $(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Schemathesis against a throwaway server and database, as a therapist and as the front desk.
api-fuzz: $(STAMP) pdf-deps
	bash .ci/schemathesis

# The endpoint benchmark (bench/README.md) against BENCH_DATABASE_URL, a PostgreSQL database: made,
# migrated and filled by generate_dataset (BENCH_PATIENTS, BENCH_EVALUATIONS) when it holds no
# patients yet, then timed over HTTP against gunicorn.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/buffalo_ot_bench
BENCH_PATIENTS ?= 100000
BENCH_EVALUATIONS ?= 300000
bench: $(STAMP) pdf-deps
	export DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only; \
	$(BIN)/python bench/create_database.py && \
	$(BIN)/python manage.py migrate --noinput -v 0 && \
	($(BIN)/python manage.py shell --no-imports -v 0 -c "from patients.models import Patient; raise SystemExit(0 if Patient.objects.exists() else 1)" || \
	 $(BIN)/python manage.py generate_dataset --patients $(BENCH_PATIENTS) --evaluations $(BENCH_EVALUATIONS)) && \
	$(BIN)/python manage.py collectstatic --noinput -v 0 && \
	$(BIN)/python bench/endpoints.py

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
