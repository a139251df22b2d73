"""API wiring shared by every app: permissions, pagination, errors, strict input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.http import parse_etags
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.response import Response

from buffalo_ot.exceptions import Conflict, StaleVersion


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, with reads needing the `view_` permission too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }

    def has_permission(self, request, view) -> bool:
        # A method the view does not offer is answered 405 by the view, not 403 here.
        if not hasattr(view, request.method.lower()):
            return True
        return super().has_permission(request, view)


class HasPermission(permissions.BasePermission):
    """Requires one named permission, for actions beyond create/read/update."""

    def __init__(self, perm: str):
        self.perm = perm

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(self.perm))


def requires(perm: str):
    """Use in `permission_classes`: `[IsAuthenticated, requires("patients.archive_patient")]`."""

    class _Requires(HasPermission):
        def __init__(self):
            super().__init__(perm)

    _Requires.__name__ = f"Requires({perm})"
    return _Requires


class PreconditionRequired(exceptions.APIException):
    """A write that must name the version it was made from came without `If-Match`."""

    status_code = 428
    default_detail = (
        "Send the version you are changing in an If-Match header (the ETag of your last read of this "
        "record), so that a change made meanwhile by someone else is not overwritten."
    )
    default_code = "if_match_required"


def etag(record) -> str:
    """The entity tag of a versioned record (evaluation, patient): its version, quoted."""
    return f'"{record.version}"'


def with_etag(response: Response, record) -> Response:
    response["ETag"] = etag(record)
    return response


def expected_version(request, *, current: int, required: bool) -> int | None:
    """The version the caller's `If-Match` names, for the service to compare under its row lock.

    None when the header is absent and optional, or is `*` (any version). A header that names the
    current version gives it; one that names only other or weak tags gives a version that can never
    match, so the write is refused with 412. Missing and required: 428."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired()
        return None
    tags = parse_etags(header)
    if tags == ["*"]:
        return None
    versions = {int(tag[1:-1]) for tag in tags if tag[1:-1].isdigit() and tag.startswith('"')}
    # The current version if the caller named it, so the lock can still catch a writer in between.
    return current if current in versions else -1


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of turning them into text."""

    default_error_messages = {"not_a_string": "Expected text, got {type}."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string", type=type(data).__name__)
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField, StrictCharField):
    pass


class StrictModelSerializer(serializers.ModelSerializer):
    """Model serializer whose text fields accept only JSON strings."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictCharField,
        models.EmailField: StrictEmailField,
    }


class StrictFieldsMixin:
    """Refuse input keys the serializer does not accept, instead of silently dropping them.

    An integrator who misspells a field or tries to set a server-owned one
    (id, MRN, timestamps) learns at once rather than finding the value missing.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            read_only = {name for name, field in self.fields.items() if field.read_only}
            errors = {}
            for key in data:
                if key in read_only:
                    errors[key] = ["This field is read-only."]
                elif key not in writable:
                    errors[key] = ["Unknown field."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _nest(errors: dict) -> dict:
    """{"a.b.0.c": [m]} -> {"a": {"b": {"0": {"c": [m]}}}}: the shape DRF gives nested serializers,
    so a client reads a service's errors and a serializer's errors the same way."""
    nested: dict = {}
    for key, messages in errors.items():
        *path, last = key.split(".")
        target = nested
        for step in path:
            target = target.setdefault(step, {})
            if not isinstance(target, dict):
                break
        else:
            target.setdefault(last, []).extend(messages) if isinstance(target.get(last, []), list) else None
            continue
        nested.setdefault(key, messages)
    return nested


def _django_error_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return _nest(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        )
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    """DRF's handler, plus: a service's ValidationError is a 400 with field errors,
    a state conflict a 409, and an unknown record a plain 404."""
    # Imported here: DRF loads this module while importing rest_framework.views.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        return Response(_django_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):
        response = Response(
            {"detail": str(exc), "code": exc.code, **exc.extra()},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
        response["ETag"] = f'"{exc.current_version}"'
        return response
    if isinstance(exc, Conflict):
        return Response(
            {"detail": str(exc), "code": exc.code, **exc.extra()}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
