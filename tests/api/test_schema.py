"""The committed OpenAPI file is the schema the code describes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import yaml
from django.core.management import call_command

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
