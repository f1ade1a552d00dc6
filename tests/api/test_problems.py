"""The one exception handler: every refusal becomes RFC 9457 problem details."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework.exceptions import ValidationError

from accounts.roles import Role
from config.api import TITLES, exception_handler, field_errors
from config.errors import ConflictError, DomainError
from config.outages import outage_response
from exchanges.api import ExchangeListView
from exchanges.models import Phase
from tests.api.conftest import Partner, World, is_problem
from tests.factories import make_phase, make_user, sign_in


def test_domain_errors_keep_their_status_and_message() -> None:
    refused = exception_handler(DomainError("Phase 3 is completed."), {})
    collided = exception_handler(ConflictError("Already confirmed as returned."), {})

    assert refused is not None
    assert collided is not None
    assert (refused.status_code, refused.data["type"]) == (422, "urn:homecoming:problem:domain")
    assert refused.data["detail"] == "Phase 3 is completed."
    assert (collided.status_code, collided.data["type"]) == (
        409,
        "urn:homecoming:problem:conflict",
    )
    assert collided.content_type == "application/problem+json"


def test_model_validation_becomes_field_errors_of_a_domain_problem() -> None:
    response = exception_handler(
        DjangoValidationError({"date": ["Too early."], "__all__": ["Number taken."]}), {}
    )

    assert response is not None
    assert (response.status_code, response.data["type"]) == (422, "urn:homecoming:problem:domain")
    assert response.data["errors"] == {
        "date": ["Too early."],
        "non_field_errors": ["Number taken."],
    }


def test_nested_errors_are_flattened_to_dotted_fields() -> None:
    detail = ValidationError(
        {"rows": [{}, {"full_name": ["Required."]}], "received_on": ["Bad date."]}
    ).detail

    assert field_errors(detail) == {"rows.1.full_name": ["Required."], "received_on": ["Bad date."]}


def test_an_unexpected_error_is_left_to_djangos_500_handling() -> None:
    assert exception_handler(KeyError("bug"), {}) is None


@pytest.mark.parametrize(
    ("language", "title", "detail"),
    [
        ({}, "Некоректний запит", "У запиті є неправильні поля."),
        ({"Accept-Language": "en"}, "Bad Request", "The request has invalid fields."),
    ],
    ids=["ukrainian-by-default", "english-on-request"],
)
def test_a_validation_problem_is_titled_and_detailed_in_the_requests_language(
    world: World, language: dict[str, str], title: str, detail: str
) -> None:
    writer = Partner("mod", ["phases:write"])

    response = writer.post("/api/v1/phases/", {"exchange": world.exchange.pk}, **language)

    assert is_problem(response, 400)
    assert (response.json()["title"], response.json()["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("language", "not_found", "bad_token"),
    [
        ({}, ("Не знайдено", "Не знайдено."), "Токен недійсний, прострочений або відкликаний."),
        (
            {"Accept-Language": "en"},
            ("Not Found", "Not found."),
            "Invalid, expired or revoked token.",
        ),
    ],
    ids=["ukrainian-by-default", "english-on-request"],
)
def test_not_found_and_a_bad_token_follow_the_requests_language(
    partner: Partner, language: dict[str, str], not_found: tuple[str, str], bad_token: str
) -> None:
    missing = partner.get("/api/v1/phases/999999/", **language)
    stranger = Client(headers={"Authorization": "Bearer hc_nobody"} | language)

    refused = stranger.get("/api/v1/phases/")

    assert is_problem(missing, 404)
    assert (missing.json()["title"], missing.json()["detail"]) == not_found
    assert is_problem(refused, 401)
    assert refused.json()["detail"] == bad_token


# Every way of getting an error under /api/: (how, status, problem type). Each is a function of
# the partner (every scope) and the seeded world, returning the response.
Call = Callable[[Partner, World], Any]
MB = 1024 * 1024


def _unverified_staff(partner: Partner, world: World) -> Any:
    client = Client()
    client.force_login(make_user(Role.OFFICIAL))  # the password, not yet the second factor
    return client.get("/api/v1/exchanges/")


def _without_csrf(partner: Partner, world: World) -> Any:
    client = Client(enforce_csrf_checks=True)
    sign_in(client, make_user(Role.OFFICIAL))
    body = json.dumps({"exchange": world.exchange.pk, "number": 2, "date": "2025-06-01"})
    return client.post("/api/v1/phases/", body, content_type="application/json")


def _completed_phase(partner: Partner, world: World) -> Any:
    completed = make_phase(world.exchange, number=2, state=Phase.State.COMPLETED)
    return partner.patch(f"/api/v1/phases/{completed.pk}/", {"number": 5})


def _list_form(**fields: Any) -> Callable[[Partner, World], Any]:
    def send(partner: Partner, world: World) -> Any:
        body = {"file": SimpleUploadedFile("l.csv", b"x"), "received_on": "2025-05-21"} | fields
        return partner.post(f"/api/v1/phases/{world.phase.pk}/release-lists/", body)

    return send


def _reused_key(partner: Partner, world: World) -> Any:
    body = {"exchange": world.exchange.pk, "number": 2, "date": "2025-06-01"}
    assert partner.post("/api/v1/phases/", body, key="once").status_code == 201
    return partner.post("/api/v1/phases/", body | {"number": 3}, key="once")


def _raw(header: str) -> Callable[[Partner, World], Any]:
    """A header as WSGI hands it over: its bytes read as Latin-1."""
    return lambda partner, world: Client().get("/api/v1/exchanges/", HTTP_AUTHORIZATION=header)


WAYS: dict[str, tuple[Call, int, str]] = {
    "invalid-fields": (
        lambda p, w: p.post("/api/v1/phases/", {"exchange": w.exchange.pk, "number": "one"}),
        400,
        "validation",
    ),
    "unknown-field": (
        lambda p, w: p.patch(f"/api/v1/phases/{w.phase.pk}/", {"place": "X", "colour": "red"}),
        400,
        "validation",
    ),
    "too-long-as-sent": (  # 201 characters, 200 once trimmed: the schema counts them as sent
        lambda p, w: p.patch(f"/api/v1/phases/{w.phase.pk}/", {"place": " " + "x" * 200}),
        400,
        "validation",
    ),
    "empty-filter": (lambda p, w: p.get("/api/v1/captives/?updated_since="), 400, "validation"),
    "malformed-json": (
        lambda p, w: p.client.post(
            "/api/v1/phases/",
            "{",
            content_type="application/json",
            headers={"Idempotency-Key": "k"},
        ),
        400,
        "bad-request",
    ),
    "lone-surrogate": (
        lambda p, w: p.client.post(
            f"/api/v1/phases/{w.phase.pk}/release-lists/",
            '{"received_on": "2025-05-21", "rows": [{"full_name": "\\ud800"}]}',
            content_type="application/json",
            headers={"Idempotency-Key": "k"},
        ),
        400,
        "bad-request",
    ),
    "unknown-host": (
        lambda p, w: p.client.get("/api/v1/exchanges/", headers={"Host": "evil.example"}),
        400,
        "bad-request",
    ),
    "too-many-form-fields": (
        _list_form(**{f"f{i}": "x" for i in range(1100)}),
        400,
        "bad-request",
    ),
    "no-token": (lambda p, w: Client().get("/api/v1/exchanges/"), 401, "not-authenticated"),
    "wrong-token": (_raw("Bearer hc_nobody"), 401, "not-authenticated"),
    "token-not-utf8": (_raw(b"Bearer \xff\xfe".decode("latin-1")), 401, "not-authenticated"),
    "scheme-not-utf8": (_raw(b"\xff\xfe hc_x".decode("latin-1")), 401, "not-authenticated"),
    "missing-scope": (
        lambda p, w: Partner("reader", ["sightings:write"]).get("/api/v1/exchanges/"),
        403,
        "forbidden",
    ),
    "no-second-factor": (_unverified_staff, 403, "second-factor-required"),
    "no-csrf-token": (_without_csrf, 403, "forbidden"),
    "unknown-address": (lambda p, w: p.get("/api/v1/nothing-here/"), 404, "not-found"),
    "unknown-address-outside-v1": (lambda p, w: p.get("/api/v2/exchanges/"), 404, "not-found"),
    "unknown-record": (lambda p, w: p.get("/api/v1/exchanges/999999/"), 404, "not-found"),
    "wrong-method": (
        lambda p, w: p.client.delete("/api/v1/exchanges/"),
        405,
        "method-not-allowed",
    ),
    "unacceptable": (
        lambda p, w: p.get("/api/v1/exchanges/", Accept="image/png"),
        406,
        "not-acceptable",
    ),
    "completed-phase": (_completed_phase, 409, "conflict"),
    "declared-too-large": (
        lambda p, w: p.client.post(
            "/api/v1/phases/", b"{}", content_type="application/json", CONTENT_LENGTH=str(65 * MB)
        ),
        413,
        "too-large",
    ),
    "form-field-too-large": (_list_form(sent_by="x" * (3 * MB)), 413, "too-large"),
    "unsupported-media-type": (
        lambda p, w: p.client.post(
            "/api/v1/phases/", "n=2", content_type="text/plain", headers={"Idempotency-Key": "k"}
        ),
        415,
        "unsupported-media-type",
    ),
    "no-such-agreement": (
        lambda p, w: p.post(
            "/api/v1/phases/", {"exchange": 999999, "number": 2, "date": "2025-06-01"}
        ),
        422,
        "domain",
    ),
    "key-reused": (_reused_key, 422, "idempotency-mismatch"),
}


@pytest.mark.parametrize(("how", "status", "kind"), WAYS.values(), ids=WAYS.keys())
def test_every_error_under_api_is_a_problem_document(
    partner: Partner, world: World, how: Call, status: int, kind: str
) -> None:
    response = how(partner, world)

    assert is_problem(response, status)
    assert response.json()["type"] == f"urn:homecoming:problem:{kind}"
    assert response.json()["title"] == TITLES[status]


def test_throttled_and_unavailable_are_problem_documents(
    settings: Any, partner: Partner, world: World
) -> None:
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"partner": "1/min"}
    }
    partner.get("/api/v1/exchanges/")
    throttled = partner.get("/api/v1/exchanges/")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens: the rate store is down
    unavailable = partner.get("/api/v1/exchanges/")

    assert is_problem(throttled, 429)
    assert throttled.json()["type"] == "urn:homecoming:problem:throttled"
    assert is_problem(unavailable, 503)
    assert unavailable.json()["type"] == "urn:homecoming:problem:unavailable"
    assert unavailable["Retry-After"] == "30"


def test_a_server_error_under_api_is_a_problem_document(
    monkeypatch: pytest.MonkeyPatch, partner: Partner, world: World
) -> None:
    def broken(view: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(ExchangeListView, "get_queryset", broken)
    partner.client.raise_request_exception = False

    response = partner.get("/api/v1/exchanges/")
    page = Client(raise_request_exception=False).get("/exchanges/")  # elsewhere: the site's page

    assert is_problem(response, 500)
    assert response.json()["type"] == "urn:homecoming:problem:server-error"
    assert "a bug" not in response.content.decode()
    assert page["Content-Type"].startswith("text/html")


def test_unavailable_is_titled_and_detailed_in_the_requests_language(partner: Partner) -> None:
    request = RequestFactory().get("/api/v1/exchanges/", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("uk"):
        ukrainian = json.loads(outage_response(request).content)
    with translation.override("en"):
        english = json.loads(outage_response(request).content)

    assert (ukrainian["title"], english["title"]) == ("Сервіс недоступний", "Service Unavailable")
    assert ukrainian["type"] == english["type"] == "urn:homecoming:problem:unavailable"
