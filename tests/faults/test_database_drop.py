"""The database drops a request's connection half way: a clean 503, and nothing half-written.

The connection is ended from another one with ``pg_terminate_backend``, as a failover or an
administrator would end it, at a point inside the request chosen by wrapping one function.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg2
import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client

from accounts.models import ApiCall
from accounts.tokens import issue_token
from captives.api import CaptiveListView
from captives.models import Captive
from inquiries import services
from inquiries.models import Inquiry
from tests.api.conftest import is_problem
from tests.factories import make_captive
from tests.inquiries.test_status import FORM

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def roles() -> None:
    from tests.conftest import grant_roles

    grant_roles()  # an earlier flushing test may have emptied the tables


def terminate_this_connection() -> None:
    """End the Django connection of this thread from a second, independent connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    database = connection.settings_dict
    other = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
    )
    try:
        with other, other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def dropping_first(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        terminate_this_connection()
        return original(*args, **kwargs)

    return wrapped


def test_a_connection_lost_while_filing_an_inquiry_is_a_503_and_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # file_inquiry has saved the inquiry in its transaction when it links the same person.
    monkeypatch.setattr(services, "link_same_person", dropping_first(services.link_same_person))

    response = Client().post("/inquiries/new/", FORM)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Traceback" not in response.content.decode()
    assert Inquiry.objects.count() == 0  # a new connection: the half-done insert is gone
    monkeypatch.undo()
    assert Client().post("/inquiries/new/", FORM).status_code == 302  # and the next one works


def test_a_connection_lost_during_an_api_call_is_a_problem_response_and_audited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_captive()
    _, raw = issue_token(
        partner_name="red-cross", scopes=["registry:read"], now=datetime.now(tz=UTC)
    )

    def queryset(view: CaptiveListView) -> QuerySet[Captive]:
        terminate_this_connection()
        return Captive.objects.current()

    monkeypatch.setattr(CaptiveListView, "get_queryset", queryset)

    response = Client().get("/api/v1/captives/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert is_problem(response, 503)
    assert response.json()["type"] == "urn:homecoming:problem:unavailable"
    assert response["Retry-After"] == "30"
    assert ApiCall.objects.get().status == 503  # the audit opened a fresh connection


def test_an_outage_raised_outside_a_view_is_a_503_as_well() -> None:
    from django.db import OperationalError
    from django.test import RequestFactory

    from config.handlers import server_error

    request = RequestFactory().get("/inquiries/status/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)  # Django calls handler500 inside the except block

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
