"""API wiring shared by every app: permissions, pagination, errors, strict input."""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import django_filters
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, models
from django.http import Http404
from django.utils.http import parse_etags
from rest_framework import exceptions, pagination, parsers, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from common.exceptions import Conflict, StaleVersion
from common.keyset import InvalidCursor, keyset_page

logger = logging.getLogger(__name__)

# How long a client should wait before retrying when the database is unreachable.
DATABASE_RETRY_AFTER_SECONDS = 30
# Deepest JSON an API request may send: a section PATCH is five levels deep
# (body, section, list, row, value); anything far past that is an attack or a bug.
MAX_JSON_DEPTH = 32

DATABASE_UNAVAILABLE: tuple[dict[str, str], int, dict[str, str]] = (
    {"detail": "The database is unavailable; try again shortly.", "code": "database_unavailable"},
    status.HTTP_503_SERVICE_UNAVAILABLE,
    {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
)


_READERS: dict[type, serializers.BaseSerializer] = {}


def represent(serializer_class: type[serializers.BaseSerializer], instance: Any) -> Any:
    """`serializer_class(instance).data`, through one instance per class kept for the process.

    A serializer builds its fields on first use: a ModelSerializer inspects its model, and every
    declared field (a nested list's serializer with its own fields among them) is deep-copied.
    For the evaluation detail that was 34 builds per request, more time than the reading itself;
    kept, each is built once. Only for serializers that read nothing from their context (the
    kept instance has none) and only for output: `to_representation` keeps no state.
    """
    reader = _READERS.get(serializer_class)
    if reader is None:
        reader = _READERS.setdefault(serializer_class, serializer_class())
    return reader.to_representation(instance)


class KeptSerializerListMixin:
    """A list whose rows are read through one kept serializer instance (`represent`) instead of a
    list serializer built for each request. For row serializers that read nothing from their
    context; the page comes from the view's paginator as usual."""

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        page = self.paginate_queryset(rows)  # type: ignore[attr-defined]
        serializer_class = self.get_serializer_class()  # type: ignore[attr-defined]
        data = [represent(serializer_class, row) for row in (rows if page is None else page)]
        if page is None:
            return Response(data)
        return self.get_paginated_response(data)  # type: ignore[attr-defined]


def too_large_body() -> tuple[dict, int]:
    """The body of a 413: what the limit is (Django's DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return (
        {
            "detail": f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
            "code": "request_too_large",
        },
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def _nested_deeper_than(data, limit: int) -> bool:
    """Whether parsed JSON has more than `limit` levels of objects and arrays (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing documents nested deeper than MAX_JSON_DEPTH with a 400.

    Python's decoder gives up on very deep nesting with a RecursionError, and nesting it
    does accept could still exhaust the stack in the serializers; both are a client's error."""

    def parse(self, stream, media_type=None, parser_context=None):
        message = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as too_deep:
            raise exceptions.ParseError(message) from too_deep
        if _nested_deeper_than(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(message)
        return data


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
    """Numbered pages. A `page_size` that is not a whole number of at least 1 is a 400 (DRF would
    quietly use the default); larger than the maximum is capped. A page that is not a positive
    whole number, or past the last page, is a 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # `?page=last` is not a number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number from 1 (at most {self.max_page_size} are sent)."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, from 1; larger values are capped at {self.max_page_size}."
                )
        return parameters


class KeysetPagination(PageNumberPagination):
    """Pages by cursor (common.keyset) on the view's `keyset_ordering`, whose last key is unique:
    `next` and `previous` links, `page_size` capped, and no count of the whole table unless the
    caller asks for one with `count=true`. A row written while someone pages is neither skipped
    nor repeated, and a deep page costs what the first one does."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param) or None
        try:
            page = keyset_page(
                queryset,
                view.keyset_ordering,
                cursor,
                size,
                keys_first=getattr(view, "keyset_keys_first", False),
            )
        except InvalidCursor:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        "Not a cursor from this list: follow the next and previous links."
                    ]
                }
            ) from None
        self.page_rows = page
        self.total = queryset.count() if query_flag(request, "count") else None
        return page.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.page_rows.next_cursor)

    def get_previous_link(self):
        return self._link(self.page_rows.previous_cursor)

    def get_paginated_response(self, data):
        body: dict[str, Any] = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        if self.total is not None:
            body["count"] = self.total
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "count": {
                    "type": "integer",
                    "description": "Only with count=true: the number of matching rows.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from a `next` or `previous` link.",
                "schema": {"type": "string", "maxLength": 1000},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1; larger values are capped at {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "count",
                "required": False,
                "in": "query",
                "description": "true: also give the number of matching rows (a count over them; leave it out when paging).",
                "schema": {"type": "boolean"},
            },
        ]


def query_flag(request, name: str) -> bool:
    """A true/false query parameter; anything but true/false/1/0 is a 400, not quietly false."""
    raw = request.query_params.get(name)
    if raw is None:
        return False
    value = {"true": True, "1": True, "false": False, "0": False}.get(raw.lower())
    if value is None:
        raise exceptions.ValidationError({name: ["Use true or false."]})
    return value


class FilterSet(django_filters.FilterSet):
    """The API's filters: a typed filter (id, date, choice, number) sent empty is a 400 rather than
    silently ignored, so `?patient=` never lists every patient's evaluations by accident. A choice
    filter that lists "" among its choices (documented, with its meaning) still takes it."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if type(filter_) is django_filters.CharFilter or name not in self.data:
                continue
            if "" in dict(filter_.extra.get("choices") or ()):  # empty is one of its documented values
                continue
            if any(value == "" for value in self.data.getlist(name)):
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of turning them into text."""

    default_error_messages = {"not_a_string": "Expected text, got {type}."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string", type=type(data).__name__)
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField, StrictCharField):
    pass


class StrictBooleanField(serializers.BooleanField):
    """A true/false field that takes only JSON true and false, not "yes", "on", 1 or "0"."""

    default_error_messages = {"not_a_boolean": "Expected true or false, got {type}."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_a_boolean", type=type(data).__name__)
        return data


class StrictModelSerializer(serializers.ModelSerializer):
    """Model serializer whose text fields accept only JSON strings."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.BooleanField: StrictBooleanField,
    }


if TYPE_CHECKING:  # the mixin is only ever mixed into serializers
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object


class StrictFieldsMixin(_SerializerBase):
    """Refuse input keys the serializer does not accept, instead of silently dropping them.

    An integrator who misspells a field or tries to set a server-owned one
    (id, MRN, timestamps) learns at once rather than finding the value missing.
    """

    def to_internal_value(self, data: Any) -> Any:
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
    a state conflict a 409, an unknown record a plain 404, a body over the size limit
    a 413, and an unreachable database a 503 with Retry-After."""
    # Imported here: DRF loads this module while importing rest_framework.views.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("Database unavailable during an API request", exc_info=exc)
        body, code, headers = DATABASE_UNAVAILABLE
        return Response(body, status=code, headers=headers)
    if isinstance(exc, RequestDataTooBig):
        body, code = too_large_body()
        return Response(body, status=code)
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
