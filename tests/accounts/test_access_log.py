"""The access log: append-only, and read by administrators alone, narrowed by its filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from accounts.access_log import record_access
from accounts.models import AccessLogEntry, User
from accounts.roles import Role
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.django_db

DAY1 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
DAY3 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def _lines(caseworker: User, official: User) -> None:
    record_access(
        user=caseworker,
        kind=AccessLogEntry.Kind.INQUIRY,
        object_ref="inquiry:HC-AAAA-1111",
        at=DAY1,
    )
    record_access(
        user=caseworker,
        kind=AccessLogEntry.Kind.PHOTO,
        object_ref="inquiry:HC-AAAA-1111:photo",
        at=DAY2,
    )
    record_access(
        user=official, kind=AccessLogEntry.Kind.EXPORT, object_ref="phase-3-transfers.csv", at=DAY2
    )
    record_access(
        user=None,
        kind=AccessLogEntry.Kind.RELATIVE_COPY,
        object_ref="inquiry:HC-BBBB-2222",
        at=DAY3,
    )


def _page(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/accounts/access-log/{query}")
    assert response.status_code == 200
    return [entry.object_ref for entry in response.context["page"]]


def test_a_line_can_be_neither_changed_nor_deleted() -> None:
    record_access(user=None, kind=AccessLogEntry.Kind.INQUIRY, object_ref="inquiry:X", at=DAY1)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.update(object_ref="inquiry:Y")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.all().delete()

    assert list(AccessLogEntry.objects.values_list("object_ref", flat=True)) == ["inquiry:X"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.OFFICIAL, False),
        (Role.REVIEWER, False),
        (Role.CASEWORKER, False),
        (Role.PARTNER, False),
    ],
)
def test_only_administrators_read_the_log(role: Role, allowed: bool) -> None:
    caseworker, official = make_user(Role.CASEWORKER), make_user(Role.OFFICIAL)
    _lines(caseworker, official)
    client = Client()
    sign_in(client, make_user(role))

    response = client.get("/accounts/access-log/")

    assert response.status_code == (200 if allowed else 403)
    assert (b"HC-AAAA-1111" in response.content) is allowed
    assert (b"/accounts/access-log/" in client.get("/inquiries/status/").content) is allowed


def test_the_log_is_newest_first_and_narrowed_by_who_what_which_and_when() -> None:
    caseworker, official = make_user(Role.CASEWORKER), make_user(Role.OFFICIAL)
    _lines(caseworker, official)
    client = Client()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    assert _page(client) == [
        "inquiry:HC-BBBB-2222",
        "phase-3-transfers.csv",
        "inquiry:HC-AAAA-1111:photo",
        "inquiry:HC-AAAA-1111",
    ]
    assert _page(client, f"?user={official.username}") == ["phase-3-transfers.csv"]
    assert _page(client, "?user=relative") == ["inquiry:HC-BBBB-2222"]
    assert _page(client, "?kind=photo") == ["inquiry:HC-AAAA-1111:photo"]
    assert _page(client, "?object=hc-aaaa") == [
        "inquiry:HC-AAAA-1111:photo",
        "inquiry:HC-AAAA-1111",
    ]
    assert _page(client, "?since=2026-03-05&until=2026-03-05") == [
        "phase-3-transfers.csv",
        "inquiry:HC-AAAA-1111:photo",
    ]
    assert _page(client, f"?user={caseworker.username}&until=2026-03-01") == [
        "inquiry:HC-AAAA-1111"
    ]


def test_the_log_pages_by_fifty_keeping_the_filters() -> None:
    for n in range(55):
        record_access(
            user=None, kind=AccessLogEntry.Kind.INQUIRY, object_ref=f"inquiry:HC-{n:04d}", at=DAY1
        )
    client = Client()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    first = client.get("/accounts/access-log/?kind=inquiry")
    second = client.get("/accounts/access-log/?kind=inquiry&page=2")

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5
    assert "kind=inquiry&amp;page=2" in first.content.decode()


def test_the_page_speaks_ukrainian_and_english() -> None:
    record_access(user=None, kind=AccessLogEntry.Kind.PHOTO, object_ref="inquiry:X", at=DAY1)
    client = Client()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    ukrainian = client.get("/accounts/access-log/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/accounts/access-log/").content.decode()

    assert "Журнал доступу" in ukrainian
    assert "Родич (номер запиту і PIN-код)" in ukrainian
    assert "Access log" in english
    assert "A relative (reference and PIN)" in english


def test_the_admin_shows_the_log_and_offers_no_change(admin_client: Client) -> None:
    record_access(user=None, kind=AccessLogEntry.Kind.PHOTO, object_ref="inquiry:X", at=DAY1)
    entry = AccessLogEntry.objects.get()

    listing = admin_client.get("/admin/accounts/accesslogentry/")
    adding = admin_client.get("/admin/accounts/accesslogentry/add/")
    deleting = admin_client.post(
        f"/admin/accounts/accesslogentry/{entry.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert b"inquiry:X" in listing.content
    assert adding.status_code == 403
    assert deleting.status_code == 403
    assert AccessLogEntry.objects.count() == 1
