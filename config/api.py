"""API plumbing shared by every app: errors as RFC 9457 problem details, ETags on reads.

Every refusal under ``/api/`` leaves as ``application/problem+json`` with ``type``, ``title``,
``status`` and ``detail``; field errors add ``errors``, field by field. DRF's views answer through
``exception_handler``; what Django answers before or after them (a middleware, an unknown
address, a body too large, a server error) through ``problem_response``. The ``title``,
``detail`` and field messages are in the request's language (Ukrainian unless the partner sends
``Accept-Language: en``); ``type`` never changes, and is what a program reads.

A request the schema refuses (a wrong type, format, length, choice, a missing or an unknown
field) is a 400 ``validation`` problem. A request the schema allows but a rule it cannot state
refuses (the record it names does not exist, a date in the future, a file that holds no list, a
phase number already taken) is a 422 ``domain`` problem, with ``errors`` where the rule is about
a field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ConflictError, DomainError
from config.renderers import OrjsonRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:homecoming:problem:"
# DRF's error codes, and our own, as the problem types a partner can switch on.
TYPES_BY_STATUS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    428: "precondition-required",
    429: "throttled",
    500: "server-error",
    503: "unavailable",
}

# The statuses' reason phrases as titles (RFC 9457 lets a title be localized).
TITLES = {
    400: pgettext_lazy("HTTP status", "Bad Request"),
    401: pgettext_lazy("HTTP status", "Unauthorized"),
    403: pgettext_lazy("HTTP status", "Forbidden"),
    404: pgettext_lazy("HTTP status", "Not Found"),
    405: pgettext_lazy("HTTP status", "Method Not Allowed"),
    406: pgettext_lazy("HTTP status", "Not Acceptable"),
    409: pgettext_lazy("HTTP status", "Conflict"),
    412: pgettext_lazy("HTTP status", "Precondition Failed"),
    413: pgettext_lazy("HTTP status", "Request Entity Too Large"),
    415: pgettext_lazy("HTTP status", "Unsupported Media Type"),
    422: pgettext_lazy("HTTP status", "Unprocessable Entity"),
    428: pgettext_lazy("HTTP status", "Precondition Required"),
    429: pgettext_lazy("HTTP status", "Too Many Requests"),
    500: pgettext_lazy("HTTP status", "Internal Server Error"),
    503: pgettext_lazy("HTTP status", "Service Unavailable"),
}
# DRF's codes for what the schema itself states: a value's type, format, length, range and
# choices, a field given or missing. Any other code is a rule the schema cannot state.
SCHEMA_CODES = frozenset(
    {
        "blank",
        "date",
        "datetime",
        "empty",
        "incorrect_type",
        "invalid",
        "invalid_choice",
        "invalid_image",
        "invalid_unicode",
        "make_aware",
        "max_decimal_places",
        "max_digits",
        "max_length",
        "max_string_length",
        "max_value",
        "max_whole_digits",
        "min_length",
        "min_value",
        "no_name",
        "not_a_dict",
        "not_a_list",
        "null",
        "overflow",
        "required",
        "unknown",
    }
)
UNKNOWN_FIELD = gettext_lazy("Unknown field: this request takes no such field.")


class ProblemSerializer(serializers.Serializer[dict[str, Any]]):
    """RFC 9457 problem details; ``errors`` maps a field (dotted for nested ones) to messages."""

    type = serializers.CharField(help_text="A URN naming the kind of problem")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, in the schema only
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def problem(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = problem_document(status=status, detail=detail, kind=kind)
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_document(*, status: int, detail: str, kind: str | None = None) -> dict[str, Any]:
    """The problem's fields, for answers made outside DRF's views (a middleware's) as well."""
    return {
        "type": TYPE_PREFIX + (kind or TYPES_BY_STATUS.get(status, "error")),
        "title": str(TITLES.get(status, HTTPStatus(status).phrase)),
        "status": status,
        "detail": detail,
    }


def problem_response(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem answered by Django rather than by a DRF view: a middleware's refusal, an
    address that names nothing, a body too large to read, a server error or an outage."""
    body = problem_document(status=status, detail=detail, kind=kind)
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(
        body,
        status=status,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def is_api(path: str) -> bool:
    """Addresses whose every answer, refusals included, is JSON for a program to read."""
    return path.startswith("/api/")


# An input as strict as its schema (``config.openapi`` says both):
# - it refuses fields it does not know (400, naming each) rather than ignoring them: a misspelt
#   field silently dropped would leave a partner believing a change was made
#   (``additionalProperties: false``);
# - a text's length is counted as sent, as the schema's maxLength counts it, before DRF trims the
#   white space around it.
# A comment, not a docstring: the schema would take a docstring as the description of every
# input built on it.
class StrictInput(serializers.Serializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {name: [_unknown()] for name in sorted(map(str, data)) if name not in writable}
            errors |= {
                name: [_too_long(field.max_length)]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and field.max_length is not None
                and isinstance(data.get(name), str)
                and len(data[name]) > field.max_length
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _unknown() -> serializers.ErrorDetail:
    return serializers.ErrorDetail(str(UNKNOWN_FIELD), code="unknown")


def _too_long(most: int) -> serializers.ErrorDetail:
    message = serializers.CharField.default_error_messages["max_length"]
    return serializers.ErrorDetail(str(message).format(max_length=most), code="max_length")


def _codes(codes: Any) -> Iterator[str]:
    if isinstance(codes, dict):
        for inner in codes.values():
            yield from _codes(inner)
    elif isinstance(codes, list):
        for inner in codes:
            yield from _codes(inner)
    else:
        yield str(codes)


def breaks_the_schema(error: exceptions.ValidationError) -> bool:
    """Whether a refusal is of what the schema states (400), not of a rule beyond it (422)."""
    return any(code in SCHEMA_CODES for code in _codes(error.get_codes()))


def field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure flattened to ``{"rows.3.birth_date": ["…"]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, inner in detail.items():
            flat |= field_errors(inner, f"{prefix}.{name}" if prefix else str(name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, inner in enumerate(detail):
            flat |= field_errors(inner, f"{prefix}.{index}" if prefix else str(index))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return (
        {prefix or "non_field_errors": [str(message) for message in messages]} if messages else {}
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if request is not None:  # problems are JSON, even for a browser asking for HTML
        request.accepted_renderer = OrjsonRenderer()
        request.accepted_media_type = "application/json"
    if isinstance(exc, DjangoValidationError):
        # The model's own rules, checked once the serializer found the shape right: a rule the
        # schema cannot state (a number taken, a date before the agreement).
        detail = get_error_detail(exc)
        by_field = detail if isinstance(detail, dict) else {"__all__": detail}
        return problem(
            status=422,
            detail=gettext("The request breaks a rule: see errors."),
            kind="domain",
            errors=field_errors(
                {"non_field_errors" if k == "__all__" else k: v for k, v in by_field.items()}
            ),
        )
    if isinstance(exc, DomainError):
        kind = "conflict" if isinstance(exc, ConflictError) else "domain"
        return problem(status=exc.status_code, detail=str(exc), kind=kind)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handling and logging take it from here
    headers = {
        name: response[name]
        for name in ("WWW-Authenticate", "Retry-After", "Allow")
        if name in response
    }
    if isinstance(exc, exceptions.ValidationError) and not breaks_the_schema(exc):
        return problem(
            status=422,
            detail=gettext("The request breaks a rule: see errors."),
            kind="domain",
            errors=field_errors(exc.detail),
            headers=headers,
        )
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status=response.status_code,
            detail=gettext("The request has invalid fields."),
            kind="validation",
            errors=field_errors(exc.detail),
            headers=headers,
        )
    detail = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, Http404):
        detail = gettext("Not found.")
    code = str(getattr(exc, "default_code", ""))
    problem_kind = code.replace("_", "-") if code.startswith("idempotency") else None
    return problem(status=response.status_code, detail=detail, kind=problem_kind, headers=headers)


class ConditionalReads:
    """GET answers carry a strong ETag of their body; ``If-None-Match`` with it gives 304.

    The body already depends on the caller's scopes, so the tag does too; ``Vary`` says so.
    """

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        patch_vary_headers(response, ["Authorization", "Accept-Language"])
        # A 304 (Django's HttpResponseNotModified) when the client's tag matches.
        return get_conditional_response(  # type: ignore[return-value]
            request._request, etag=response["ETag"], response=response
        )


class NotFoundView(APIView):
    """Every address under ``/api/v1/`` that names no endpoint: a 404 problem, whatever the
    method, rather than Django's HTML page."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []
    throttle_classes: list[type] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound
