"""The committed OpenAPI file is the schema the code describes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import yaml
from django.core.management import call_command

from exchanges.listfile import MAX_ROWS

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
REGENERATE = "python manage.py spectacular --lang en --file docs/openapi.yaml --validate"


def generated_schema() -> str:
    out = StringIO()
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_the_committed_schema_matches_the_code() -> None:
    assert yaml.safe_load(generated_schema()) == yaml.safe_load(COMMITTED.read_text()), (
        f"docs/openapi.yaml is out of date; regenerate it with: {REGENERATE}"
    )


def test_every_post_takes_an_idempotency_key_and_every_operation_answers_problems() -> None:
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert "application/problem+json" in responses["401"]["content"], (path, method)
            assert "Retry-After" in responses["429"]["headers"], (path, method)
            if method == "post":
                names = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
                assert "Idempotency-Key" in names, path
            if method == "get":
                assert "304" in responses, path


def problems_of(schema: dict[str, Any], path: str, method: str) -> set[str]:
    responses = schema["paths"][path][method]["responses"]
    return {code for code in responses if code[0] in "45"}


def test_each_operation_documents_the_problems_it_can_give_and_only_those() -> None:
    schema = yaml.safe_load(COMMITTED.read_text())
    everywhere = {"401", "403", "406", "429", "503"}

    assert problems_of(schema, "/api/v1/exchanges/{id}/", "get") == everywhere | {"404"}
    assert problems_of(schema, "/api/v1/exchanges/", "get") == everywhere | {"400", "404"}
    assert problems_of(schema, "/api/v1/webhooks/{id}/", "delete") == everywhere | {"404"}
    assert problems_of(schema, "/api/v1/phases/", "post") == everywhere | {
        "400",  # the body breaks the schema
        "409",  # the idempotency key is in use
        "413",
        "415",
        "422",  # the key reused; the officials' rules
    }
    assert problems_of(schema, "/api/v1/phases/{id}/", "patch") == everywhere | {
        "400",
        "404",
        "409",  # a completed phase
        "413",
        "415",
        "422",
    }
    assert "422" in problems_of(schema, "/api/v1/captives/", "get")  # a q refused by a rule
    for path, methods in schema["paths"].items():
        for method in methods:
            for code in problems_of(schema, path, method):
                response = methods[method]["responses"][code]
                assert list(response["content"]) == ["application/problem+json"], (path, code)
                assert response["description"], (path, method, code)
            assert "Retry-After" in methods[method]["responses"]["503"]["headers"], path


def test_every_request_body_refuses_fields_it_does_not_name() -> None:
    components = yaml.safe_load(COMMITTED.read_text())["components"]["schemas"]
    inputs = [name for name in components if name.endswith("Request")]

    assert len(inputs) >= 7
    assert all(components[name]["additionalProperties"] is False for name in inputs)


def test_a_list_of_rows_states_its_bounds() -> None:
    components = yaml.safe_load(COMMITTED.read_text())["components"]["schemas"]
    rows = components["RowsSubmissionRequest"]["properties"]["rows"]

    assert (rows["minItems"], rows["maxItems"]) == (1, MAX_ROWS)
