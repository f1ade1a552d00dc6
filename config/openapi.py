"""How the OpenAPI schema describes the contract every endpoint shares: problem responses, the
``Idempotency-Key`` header on POSTs, ETags and 304s on reads, ``Retry-After`` on 429."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from config.api import PROBLEM_CONTENT_TYPE, ProblemSerializer

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
# Every operation may meet these; writes also the idempotency and conflict ones.
COMMON_PROBLEMS = ("400", "401", "403", "404", "406", "429", "503")
WRITE_PROBLEMS = ("409", "413", "415", "422")
STRING = {"schema": {"type": "string"}}


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        for code in COMMON_PROBLEMS + (WRITE_PROBLEMS if writes else ()):
            if code not in responses:
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
                )
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again",
        }
        for code, response in responses.items():
            if code.startswith("2") and self.method == "GET":
                response.setdefault("headers", {})["ETag"] = STRING
            if code == "202":
                response.setdefault("headers", {})["Location"] = STRING
        if self.method == "GET":
            responses["304"] = {"description": "Not modified: the ETag in If-None-Match matches"}
        return responses

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
