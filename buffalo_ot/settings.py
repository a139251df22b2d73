"""
Settings for the Buffalo OT evaluation record system.

One module, driven by environment variables. With no DATABASE_URL the project
runs on an SQLite file beside this package (the single-workstation demo);
production and CI point DATABASE_URL at PostgreSQL.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; anything else stops start-up naming the variable."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
_COMMAND = os.environ.get("BUFFALO_OT_COMMAND", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105  (DEBUG only)
    elif _COMMAND and _COMMAND != "runserver":
        # A one-off management command (migrate, makemigrations --check, …) signs nothing that
        # outlives it, so a throwaway key will do. Serving requests always needs SECRET_KEY.
        SECRET_KEY = get_random_secret_key()
    else:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "phonenumber_field",
    "simple_history",
    "csp",
    "accounts",
    "audit",
    "patients",
    "occupations",
    "evaluations",
    "episodes",
    "fhir_r4",
    "django_tasks",
    "django_tasks_db",
    "buffalo_ot",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "buffalo_ot.middleware.AbsoluteSessionLifetimeMiddleware",
    "buffalo_ot.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AccessContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buffalo_ot.urls"
WSGI_APPLICATION = "buffalo_ot.wsgi.application"
ASGI_APPLICATION = "buffalo_ot.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "buffalo_ot" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buffalo_ot.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: take the write lock at the start of each transaction and wait
    # for it, so two saves at once queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # The test database is a file, not memory: the concurrency tests' threads each open their own
    # connection, and an in-memory database shared between connections locks without waiting.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME")
        or str(Path(tempfile.gettempdir()) / f"buffalo_ot_test_{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out usernames before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # An integration key's account holds the permissions of its scopes (accounts.scopes).
    "accounts.backends.IntegrationScopeBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: five failed logins for one username lock that username for 15 minutes,
# wherever the attempts come from. The lock is per username only, so one shared
# clinic IP address (every workstation behind the same NAT) cannot lock out everyone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

# Sessions expire after 30 idle minutes: every request pushes the expiry forward. However active,
# a session also ends 12 hours after it began (buffalo_ot.middleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. Production sits behind a TLS-terminating proxy (README, "Production"): plain HTTP is
# redirected, browsers are told to use HTTPS only (HSTS), and the proxy's X-Forwarded-Proto is
# trusted only when BEHIND_TLS_PROXY says the app is reachable through that proxy alone.
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive takes effect only once the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): our own files only, no inline script or style, no framing.
# Bootstrap's CSS draws its icons from data: SVGs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy: the app needs no device or sensor; deny them all to the page and any frame.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = "US"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# History is for reading: reverting would bypass the services (and their audit events).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Grip score from the dynamometer trials: "mean" (Mathiowetz 1985 protocol, mean of three) or "best".
GRIP_SCORE = os.environ.get("GRIP_SCORE", "mean")
# Which published bands read a 0-10 pain rating (evaluations.instruments.PAIN_SCHEMES): cpa (the
# default), serlin_1995, boonstra_2016, palos_2006 or hl7_snomed; every interpretation names it.
PAIN_BANDS = os.environ.get("PAIN_BANDS", "cpa")
# The 30-second chair stand's normal ranges: Rikli & Jones' 1999 table or their 2013 manual's.
CHAIR_STAND_TABLE = os.environ.get("CHAIR_STAND_TABLE", "1999")
# Left/right differences reported as muscle-imbalance findings. Clinic-set defaults, not norms:
# one whole MMT grade (3 steps of the ordinal scale), 15 degrees of motion, 20 % of grip.
IMBALANCE_THRESHOLDS = {
    "mmt_steps": env_int("IMBALANCE_MMT_STEPS", 3),
    "rom_degrees": env_int("IMBALANCE_ROM_DEGREES", 15),
    "grip_percent": env_int("IMBALANCE_GRIP_PERCENT", 20),
}

CLINIC_NAME = os.environ.get("CLINIC_NAME", "Buffalo Occupational Therapy")
CLINIC_STATE = os.environ.get("CLINIC_STATE", "NY")  # pre-filled on new registrations
# A seven-digit phone typed in search is tried in these area codes.
CLINIC_AREA_CODES = env_list("CLINIC_AREA_CODES", "716")
# The base of the clinic's own FHIR identifier systems (the MRN is `<base>/mrn`): set it to a URI
# the clinic controls, and never change it once records have been shared.
# Bulk export: patients per chunk (one checkpoint each), and how long a running export may show
# no progress before a status poll queues it again (it resumes from its checkpoint).
FHIR_EXPORT_CHUNK = env_int("FHIR_EXPORT_CHUNK", 200)
FHIR_EXPORT_STALL_SECONDS = env_int("FHIR_EXPORT_STALL_SECONDS", 300)
FHIR_SYSTEM_BASE = os.environ.get("FHIR_SYSTEM_BASE", "https://buffalo-ot.example/fhir").rstrip("/")

# API tokens expire; integrations ask for a new one with their credentials.
API_TOKEN_TTL = timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.IntegrationKeyAuthentication",
        "accounts.authentication.ExpiringTokenAuthentication",
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "common.api.ModelPermissions",
    ],
    "DEFAULT_PARSER_CLASSES": ["common.api.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Buffalo OT evaluation records API",
    "DESCRIPTION": (
        "Patients and occupational therapy evaluations. Authenticate with "
        "`Authorization: Token <token>` from `POST /api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "buffalo_ot.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EvaluationStatusEnum": "evaluations.choices.EvaluationStatus",
        "RoleStatusEnum": "evaluations.choices.RoleStatus",
        "PatientStatusEnum": "patients.choices.PatientStatus",
        "AssistLevelEnum": "evaluations.choices.AssistLevel",
        "GoalStatusEnum": "evaluations.choices.GoalStatus",
        "EvaluationKindEnum": "evaluations.choices.EvaluationKind",
        "CertificationKindEnum": "episodes.choices.CertificationKind",
        "CertificationStateEnum": "episodes.choices.CertificationState",
        "SendingMethodEnum": "episodes.choices.SendingMethod",
        "AttendanceEnum": "episodes.choices.Attendance",
        "PayerTypeEnum": "episodes.choices.PayerType",
        "EpisodeStatusEnum": "episodes.choices.EpisodeStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# axes.W006 asks to lock by IP address too. Deliberately not: every workstation of a
# clinic shares one address, and an IP lock would let one mistyped password spree
# lock out the whole front desk. Failed logins are still recorded with their IP.
# models.W040: SQLite (the embedded demo) has no covering indexes; the patient list index is made
# there without its extra columns, which only PostgreSQL's index-only name search reads.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
ALLOW_DEMO_DATA = env_bool("ALLOW_DEMO_DATA")

# Background jobs (sending plans of care, reminders, exports, imports): Django's task framework
# through the django-tasks backport. The database backend needs nothing more than the database;
# `make run` starts its worker (`manage.py db_worker`) beside the server. With TASKS_REDIS_URL set
# the jobs go through Redis instead (django-tasks-rq on RQ), for deployments with several job
# workers; README, "Background jobs".
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "")
if TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_ATTEMPTS = env_int(
    "TASK_ATTEMPTS", 5
)  # a failing job is retried, with a growing pause, then shown as failed

# Email (the physician's signing link; the opt-in daily summaries). In development the messages
# are printed by the worker; production names its SMTP relay.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "plans-of-care@buffalo-ot.example")
# The address links in emails start with (the clinic's public https origin in production).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))  # uploads; never served as static files

# The episode clock's day counts by payer type (episodes.clock.Rules; None: not required).
# Medicare Benefit Policy Manual ch. 15 §220 (shared/reference/ot-standards.md): initial
# certification within 30 days of the evaluation, a verbal order signed within 14 days,
# recertification at least every 90 days, a progress report at least every 10 treatment days.
EPISODE_RULES = {
    "medicare": {
        "certification_days": 30,
        "verbal_order_days": 14,
        "recertification_days": 90,
        "progress_treatment_days": 10,
        "due_soon_days": 7,
    },
    # The clinic's policy for other payers until it names their own: Medicare's, as most payers follow it.
    "other": {
        "certification_days": 30,
        "verbal_order_days": 14,
        "recertification_days": 90,
        "progress_treatment_days": 10,
        "due_soon_days": 7,
    },
}
DAILY_SUMMARY_EMAILS = env_bool("DAILY_SUMMARY_EMAILS")  # the episode clock emails each therapist what is due
SIGNING_LINK_DAYS = env_int("SIGNING_LINK_DAYS", 14)  # how long a physician's signing link stays valid
SIGNING_LINK_FAILURES = env_int("SIGNING_LINK_FAILURES", 10)  # wrong links from one address per 15 minutes
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)  # a scanned certification
