import sys

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from accounts.roles import CLINIC_ADMIN, FRONT_DESK, THERAPIST
from audit.services import record_list_read
from common.api import DATABASE_UNAVAILABLE, too_large_body
from evaluations.selectors import list_evaluations
from patients.selectors import list_registered_today


def home(request):
    """Role-aware start page: search and today's registrations for the desk, drafts and recent
    signatures for a therapist. Showing these lists is one audited read naming every patient on them."""
    roles = set(request.user.groups.values_list("name", flat=True))
    context = {
        "is_front_desk": FRONT_DESK in roles,
        "is_therapist": THERAPIST in roles,
        "is_clinic_admin": CLINIC_ADMIN in roles or request.user.is_superuser,
        "can_view_patients": request.user.has_perm("patients.view_patient"),
    }
    if context["is_therapist"] and request.user.has_perm("evaluations.change_evaluation"):
        mine = list_evaluations(viewer=request.user).filter(therapist=request.user)
        context["my_drafts"] = list(mine.drafts().order_by("-date_of_service", "-created_at")[:20])
        context["my_recent_signatures"] = list(mine.signed().order_by("-signed_at")[:10])
    if context["can_view_patients"]:
        context["registered_today"] = list(
            list_registered_today(viewer=request.user, today=timezone.localdate())[:20]
        )
    _record_home_lists_read(request.user, context)
    return render(request, "home.html", context)


def _record_home_lists_read(user, context: dict) -> None:
    registered = context.get("registered_today", [])
    drafts = context.get("my_drafts", [])
    signed = context.get("my_recent_signatures", [])
    if not (registered or drafts or signed):
        return
    record_list_read(
        actor=user,
        record_type="home",
        label=(
            f"Home page: {len(registered)} registered today, {len(drafts)} drafts, "
            f"{len(signed)} recently signed"
        ),
        patient_public_ids=[
            *(patient.public_id for patient in registered),
            *(evaluation.patient.public_id for evaluation in [*drafts, *signed]),
        ],
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: the process answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Errors under /api/ answer JSON, like the API's own errors, even when they happen outside
# a DRF view (an unknown route, a malformed id, a failure in middleware). Django calls these
# handlers when DEBUG is off; other paths keep Django's pages.


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json(body: dict, status: int, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status, headers=headers)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@csrf_exempt
def api_not_found(request, path=""):
    """Every /api/ path no API route matches (a malformed id included): a JSON 404."""
    detail = "Not found."
    if not request.path.endswith("/"):
        detail += " API paths end with a slash."
    return _json({"detail": detail, "code": "not_found"}, 404)


def bad_request(request, exception):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _json(*too_large_body())
    return _json({"detail": "Bad request.", "code": "bad_request"}, 400)


def permission_denied(request, exception):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _json({"detail": "You do not have permission to perform this action.", "code": "forbidden"}, 403)


def page_not_found(request, exception):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return api_not_found(request)


def server_error(request):
    """A 500, or a 503 with Retry-After when the database could not be reached."""
    if not _is_api(request):
        return defaults.server_error(request)
    error = sys.exception()  # Django calls this handler while handling the exception
    if isinstance(error, (OperationalError, InterfaceError)):
        return _json(*DATABASE_UNAVAILABLE)
    return _json({"detail": "Server error.", "code": "server_error"}, 500)
