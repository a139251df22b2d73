"""OpenAPI post-processing: every operation documents every status it can answer.

Views describe their own successes and the errors particular to them (409 reasons, 429);
this hook adds the errors that come from the shared machinery (authentication, permissions,
the JSON parser, the size limit, pagination, the database) with one shared error schema,
refuses unknown fields in request bodies (as `StrictFieldsMixin` does), and documents the
optimistic-locking headers (`If-Match`, `ETag`) and their answers (412, 428).
"""

JSON = "application/json"
ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}

COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "Every error that is not about particular fields. `code` is stable, `detail` is for people.",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
        },
        "required": ["detail"],
        "additionalProperties": True,
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "`{field: [messages]}`, nested like the request for sections and rows "
            "(`{section: {list: {index: {field: [messages]}}}}`); `non_field_errors` for the whole "
            "body; `{detail}` when the body is not JSON or is nested too deeply. Unknown and "
            "read-only fields are refused by name."
        ),
        "additionalProperties": True,
    },
}

DESCRIPTIONS = {
    "400": "The request is not valid: field errors, a body that is not JSON, or a bad filter value.",
    "401": "No credentials, or a token that is unknown, expired or revoked.",
    "403": "Your role may not do this.",
    "404": "No such record (a malformed id too), or a page past the last one.",
    "409": "The record's state forbids the change; `code` says why.",
    "412": "`If-Match` names an older version: the record changed since you read it. "
    "The body carries the current version.",
    "413": "The request body is larger than the server accepts (`code`: `request_too_large`).",
    "415": "The body is not `application/json`.",
    "428": "Send `If-Match` with the `ETag` of the version you read.",
    "503": "The database is unreachable (`code`: `database_unavailable`); retry after `Retry-After` seconds.",
}

# Writes guarded by optimistic locking: operation id -> whether If-Match is required.
IF_MATCH = {
    "evaluations_partial_update": True,
    "evaluations_sign_create": True,
    "evaluations_submit_create": True,
    "evaluations_destroy": True,
    "patients_partial_update": False,
    "patients_archive_create": False,
}
# Answers that carry the record's version in an ETag header.
ETAG_RESPONSES = {
    "evaluations_retrieve",
    "evaluations_partial_update",
    "evaluations_sign_create",
    "evaluations_submit_create",
    "evaluations_return_create",
    "patients_retrieve",
    "patients_partial_update",
    "patients_archive_create",
}
SUCCESS = ("200", "201")


def _error_response(status: str, description: str | None = None) -> dict:
    schema = FIELD_ERRORS if status == "400" else ERROR
    headers = {}
    if status == "503":
        headers["Retry-After"] = {"schema": {"type": "integer"}, "description": "Seconds to wait."}
    if status == "401":
        headers["WWW-Authenticate"] = {"schema": {"type": "string"}}
    response = {"description": description or DESCRIPTIONS[status], "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _statuses(operation: dict) -> set[str]:
    """The shared errors this operation can answer."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = {"401", "503"}  # any Authorization header is checked; any request may meet an outage
    if operation.get("security") and not operation["operationId"].startswith("auth_token"):
        statuses.add("403")  # a role without the permission; a session request without its CSRF token
    if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
        statuses.add("404")
    if has_body:
        statuses |= {"400", "413", "415"}
    if any(p["in"] == "query" and p["name"] not in ("page", "page_size") for p in parameters):
        statuses.add("400")  # a filter value of the wrong type or outside its choices
    if operation["operationId"] in IF_MATCH:
        statuses.add("412")
        if IF_MATCH[operation["operationId"]]:
            statuses.add("428")
    return statuses


def document_errors(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: see the module docstring."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    for name, schema in schemas.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
            schema["description"] = (
                schema.get("description", "") + "\n\nUnknown fields are refused (400), not ignored."
            ).strip()

    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(operation)):
                if status not in responses:
                    responses[status] = _error_response(status)
            for status, response in responses.items():
                if status.startswith(("4", "5")):  # the views' own descriptions stay; one body shape
                    responses[status] = _error_response(status, response.get("description"))
            operation_id = operation["operationId"]
            if operation_id in IF_MATCH:
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "If-Match",
                        "required": IF_MATCH[operation_id],
                        "schema": {"type": "string"},
                        "description": "The `ETag` of the version you read; a stale one is answered 412.",
                    }
                )
            if operation_id in ETAG_RESPONSES:
                for status in SUCCESS:
                    if status in responses:
                        responses[status].setdefault("headers", {})["ETag"] = {
                            "schema": {"type": "string"},
                            "description": "The version of the record in this answer; send it back in `If-Match`.",
                        }
    return result
