"""The one exception handler: every refusal becomes RFC 9457 problem details."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client
from rest_framework.exceptions import ValidationError

from config.api import exception_handler, field_errors
from config.errors import ConflictError, DomainError
from tests.api.conftest import Partner, World, is_problem


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
