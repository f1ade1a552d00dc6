"""Schemathesis against the live schema on a test server, with a seeded database and a token
holding every scope, with every check (the CLI's ``--checks all``; the project's settings are in
``schemathesis.toml``), on data the schema allows and data it refuses: no 5xx, every answer
(status, content type, headers, body) as the schema says, what the schema allows accepted or
refused by a documented rule (422), what it refuses refused. Bounded: ten examples per
operation and mode."""

from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from accounts.models import ApiCall
from accounts.tokens import SCOPES, issue_token
from exchanges.models import ReleaseList
from exchanges.reconciliation import receive_release_list, reconcile_release_list
from exchanges.services import list_for_phase
from tests.conftest import grant_roles
from tests.factories import make_captive, make_exchange, make_phase, make_provenance

# Ten fixed examples per operation in the suite; set SCHEMATHESIS_EXAMPLES=200 to hunt at random.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
FIXED = "SCHEMATHESIS_EXAMPLES" not in os.environ


@pytest.fixture
def seeded_token(transactional_db: None, settings: Any) -> str:
    """A small world (an exchange, a phase, people listed, a reconciled list) and a token."""
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"partner": "100000/min"}
    }
    grant_roles()  # an earlier flushing test may have emptied the tables
    token, raw = issue_token(partner_name="fuzzer", scopes=sorted(SCOPES), now=timezone.now())
    phase = make_phase(make_exchange())
    for family in ("Шевченко", "Коваленко"):
        captive = make_captive(family_name=family)
        list_for_phase(phase=phase, captive=captive, by=None, provenance=make_provenance())
    release_list, _ = receive_release_list(
        phase=phase,
        data="ПІБ,Дата народження\nШевченко Олександр Петрович,14.03.1990\n".encode(),
        filename="list.csv",
        received_on=date(2025, 5, 20),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=token.partner,
        partner=token.partner,
    )
    reconcile_release_list(release_list_id=release_list.pk, now=timezone.now())
    return raw


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_keeps_its_schema(live_server: Any, seeded_token: str) -> None:
    """Every operation in turn, positive then negative, each with its own hypothesis run
    (schemathesis's pytest plugin does not run on pytest 9 yet, so the operations are walked
    here); every failure found is reported, not only the first."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    schema.config.checks.update(included_check_names=["all"])  # the CLI's --checks all
    headers = {"Authorization": f"Bearer {seeded_token}"}
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]

    failures: list[str] = []
    for operation, mode in itertools.product(operations, GenerationMode):  # positive, negative

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=FIXED,  # the same examples every run: CI never flakes on luck
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(base_url=live_server.url, headers=headers)

        try:
            conforms()
        except (Failure, FailureGroup, AssertionError) as error:
            failures.append(f"{operation.label} ({mode}): {error}")

    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures)

    committed = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text())
    assert len(operations) == len(results)  # every operation could be read and was walked
    assert len(operations) == sum(len(methods) for methods in committed["paths"].values())
    calls = ApiCall.objects.filter(token__partner__username="fuzzer")
    assert calls.count() >= 2 * len(operations)  # the examples really reached the server
