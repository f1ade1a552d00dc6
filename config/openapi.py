"""How the OpenAPI schema describes the contract every endpoint shares: the problem responses
each operation can give, the ``Idempotency-Key`` header on POSTs, ETags and 304s on reads,
``Retry-After`` on 429 and 503, and inputs that refuse fields they do not know.

Each operation documents the problems it can answer with, and only those, from what it takes:
400 where there is a query, a body or a required header to get wrong, 404 where a path names a
record or a page is asked for, 409 and 422 on POSTs (the idempotency key), 412 and 428 where it
takes ``If-Match``, 413 and 415 where it takes a body, 429 where it is throttled, and 401, 403,
406 and 503 everywhere. A view adds the problems of its own rules, saying when, with
``problems({409: "…"})`` in its ``extend_schema`` responses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from config.api import PROBLEM_CONTENT_TYPE, ProblemSerializer, StrictInput

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type={"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "A key the client chooses per operation (a UUID, say). Sent again with the same body "
        "within 24 hours it replays the first response instead of acting twice; with another "
        "body it is refused (422)."
    ),
)
STRING = {"schema": {"type": "string"}}
# A character Python's str.isspace() does not call white space: what DRF's CharField needs to
# find in a field that may not be blank, once it has trimmed the rest (JSON Schema's own \s
# leaves out \x1c-\x1f and \x85, and counts \ufeff).
NOT_ONLY_WHITE_SPACE = (
    "[^\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000]"
)
RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again"}

# What each shared problem means, as the schema tells it (types: docs/api.md).
MALFORMED = (
    "The request does not match this schema (a wrong type, format, length or choice, a field "
    "missing or unknown): type validation, with errors naming each field."
)
NOT_AUTHENTICATED = "No token, or one that is invalid, expired or revoked."
FORBIDDEN = "The token lacks the scope this operation needs."
NO_SUCH_RECORD = "No such record, or not one this token may read."
NO_SUCH_PAGE = "No such page or cursor."
NOT_ACCEPTABLE = "Accept names no type this operation answers with."
KEY_IN_FLIGHT = "A request with this Idempotency-Key is still running: retry shortly."
KEY_REUSED = "This Idempotency-Key was used with another body: type idempotency-mismatch."
PRECONDITION_FAILED = "If-Match names a version that is no longer the current one."
PRECONDITION_REQUIRED = "If-Match is missing: send the ETag of the version being changed."
TOO_LARGE = "The body is larger than the API takes."
UNSUPPORTED_MEDIA_TYPE = "Content-Type names a format this operation does not read."
THROTTLED = "Too many calls for this token: Retry-After says when to call again."
UNAVAILABLE = (
    "The database or the rate-limit store does not answer; nothing was done. Retry-After says "
    "when to try again."
)


def problems(reasons: dict[int, str]) -> dict[Any, Any]:
    """Problem answers an operation gives for its own rules, each saying when, for its
    ``extend_schema(responses=…)``; the shared ones are added by ``ApiAutoSchema``."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=why)
        for status, why in reasons.items()
    }


class ApiAutoSchema(AutoSchema):
    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: ComponentRegistry,
    ) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for status, reason in self.shared_problems(operation):
            code = str(status)
            if code in responses:  # the view's own reason, then the shared one
                responses[code]["description"] = f"{responses[code]['description']} {reason}"
            else:
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    OpenApiResponse(ProblemSerializer, description=reason),
                    code,
                    [PROBLEM_CONTENT_TYPE],
                )
        for code in ("429", "503"):
            if code in responses:
                responses[code].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        for code, response in responses.items():
            if code.startswith("2") and self.method == "GET":
                response.setdefault("headers", {})["ETag"] = STRING
            if code == "202":
                response.setdefault("headers", {})["Location"] = STRING
        if self.method == "GET":
            responses["304"] = {"description": "Not modified: the ETag in If-None-Match matches"}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def shared_problems(self, operation: dict[str, Any]) -> Iterator[tuple[int, str]]:
        """The problems this operation can give for what it takes, whatever its own rules."""
        parameters = operation.get("parameters", [])
        places = {parameter["in"] for parameter in parameters}
        headers = {p["name"].lower() for p in parameters if p["in"] == "header"}
        required_header = any(p["in"] == "header" and p.get("required") for p in parameters)
        body = "requestBody" in operation
        if "query" in places or body or required_header:
            yield 400, MALFORMED
        if {} not in operation.get("security", [{}]):
            yield 401, NOT_AUTHENTICATED
        if self.view.get_permissions():
            yield 403, FORBIDDEN
        missing = [NO_SUCH_RECORD] if "path" in places else []
        if self.method == "GET" and self._is_list_view() and self._get_paginator():  # type: ignore[no-untyped-call]
            missing.append(NO_SUCH_PAGE)
        if missing:
            yield 404, " ".join(missing)
        yield 406, NOT_ACCEPTABLE
        if self.method == "POST":
            yield 409, KEY_IN_FLIGHT
        if "if-match" in headers:
            yield 412, PRECONDITION_FAILED
        if body:
            yield 413, TOO_LARGE
            yield 415, UNSUPPORTED_MEDIA_TYPE
        if self.method == "POST":
            yield 422, KEY_REUSED
        if "if-match" in headers:
            yield 428, PRECONDITION_REQUIRED
        if self.view.get_throttles():
            yield 429, THROTTLED
        yield 503, UNAVAILABLE

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _map_serializer(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer(serializer, direction, bypass_extensions)  # type: ignore[no-untyped-call]
        kind = serializer if isinstance(serializer, type) else type(serializer)
        if direction == "request" and issubclass(kind, StrictInput):
            schema["additionalProperties"] = False  # it refuses unknown fields (config.api)
        return schema

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]
        if isinstance(field, serializers.ListSerializer) and schema.get("type") == "array":
            # The bounds of a list of inputs (drf-spectacular states them for a ListField only;
            # the stubs know neither bound).
            least = max(0 if field.allow_empty else 1, getattr(field, "min_length", None) or 0)
            most: int | None = getattr(field, "max_length", None)
            schema |= {"minItems": least} if least else {}
            schema |= {"maxItems": most} if most is not None else {}
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and schema.get("type") == "string"
            and not {"pattern", "format"} & set(schema)
        ):
            schema["pattern"] = NOT_ONLY_WHITE_SPACE  # as the field checks once trimmed
        return schema

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_parameters()
        if self.method == "GET":
            parameters.append(
                {
                    "in": "header",
                    "name": "If-None-Match",
                    "schema": {"type": "string"},
                    "description": "An ETag from an earlier answer: 304 if nothing changed",
                }
            )
        return parameters
