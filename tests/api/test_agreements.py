"""Agreements through the API: read for partners; written only where the officials' rules run."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tokens import SCOPES
from exchanges.models import Exchange
from tests.api.conftest import Partner, World, is_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/exchanges/"), ("patch", "/api/v1/exchanges/{pk}/")],
)
def test_no_token_writes_an_agreement_past_the_rules_of_the_officials_page(
    world: World, method: str, path: str
) -> None:
    """A token with every scope, and a body the officials' page would refuse (dated in the
    future): the API takes no agreement at all, so none can skip the page's rules."""
    writer = Partner("mod", SCOPES)
    body: dict[str, Any] = {"name": "Changed", "agreed_on": "2999-01-01"}

    response = getattr(writer, method)(path.format(pk=world.exchange.pk), body)

    assert is_problem(response, 405)
    assert list(Exchange.objects.values_list("name", flat=True)) == ["1000 for 1000"]
