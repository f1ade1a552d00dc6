"""The one exception handler: every refusal becomes RFC 9457 problem details."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from config.api import exception_handler, field_errors
from config.errors import ConflictError, DomainError


def test_domain_errors_keep_their_status_and_message() -> None:
    refused = exception_handler(DomainError("Phase 3 is completed."), {})
    collided = exception_handler(ConflictError("Already confirmed as returned."), {})

    assert refused is not None
    assert collided is not None
    assert (refused.status_code, refused.data["type"]) == (400, "urn:homecoming:problem:domain")
    assert refused.data["detail"] == "Phase 3 is completed."
    assert (collided.status_code, collided.data["type"]) == (
        409,
        "urn:homecoming:problem:conflict",
    )
    assert collided.content_type == "application/problem+json"


def test_model_validation_becomes_field_errors() -> None:
    response = exception_handler(
        DjangoValidationError({"date": ["Too early."], "__all__": ["Number taken."]}), {}
    )

    assert response is not None
    assert response.status_code == 400
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
