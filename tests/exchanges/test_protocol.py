"""A completed phase's printable protocol: who crossed each way, the counts declared beside
those named, the two officials; only for those who may export, each opening logged."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.access import EXPORTERS
from accounts.models import AccessLogEntry, User
from accounts.roles import Role
from captives.models import Category, Side
from exchanges.models import Phase
from tests.factories import (
    approve_phase,
    make_captive,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation

pytestmark = pytest.mark.django_db
PROPOSED = datetime(2025, 5, 23, 9, 30, tzinfo=UTC)
APPROVED = datetime(2025, 5, 23, 15, 45, tzinfo=UTC)


def completed_phase(
    *, returned: int = 2, handed_over: int = 1, civilians: int = 1, declared_extra: int = 0
) -> Phase:
    """A phase two officials confirmed: ``returned`` servicemen and ``civilians`` civilians
    came home, ``handed_over`` servicemen went to the other side; ``declared_extra`` more
    servicemen were declared coming home than were named."""
    phase = make_phase(
        date=date(2025, 5, 23),
        declared_returned_servicemen=returned + declared_extra,
        declared_returned_civilians=civilians,
        declared_handed_over_servicemen=handed_over,
    )
    people = [
        *(
            make_captive(family_name=f"Коваленко{n}", service_number=f"А{n:07d}")
            for n in range(returned)
        ),
        *(
            make_captive(family_name=f"Бондаренко{n}", category=Category.CIVILIAN)
            for n in range(civilians)
        ),
        *(make_captive(family_name=f"Іванов{n}", held_by=Side.OURS) for n in range(handed_over)),
    ]
    make_matched_list(phase, people)
    proposer = make_user(Role.OFFICIAL, f"proposer-{phase.pk}")
    proposer.first_name, proposer.last_name = "Олена", "Мирна"
    proposer.save(update_fields=["first_name", "last_name"])
    propose_confirmation(phase=phase, by=proposer, at=PROPOSED)
    approve_phase(phase=phase, by=make_user(Role.OFFICIAL, f"approver-{phase.pk}"), at=APPROVED)
    return Phase.objects.get(pk=phase.pk)


def client_for(user: User | None, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        sign_in(client, user)
    return client


def protocol_url(phase: Phase) -> str:
    return f"/exchanges/phases/{phase.pk}/protocol/"


def logged(phase: Phase) -> int:
    return AccessLogEntry.objects.filter(
        kind=AccessLogEntry.Kind.EXPORT, object_ref=f"phase-protocol:{phase.pk}"
    ).count()


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r or "anonymous")
def test_only_those_who_may_export_open_the_protocol_and_only_their_openings_are_logged(
    role: Role | None, users_by_role: dict[Role | None, User | None]
) -> None:
    phase = completed_phase()

    response = client_for(users_by_role[role]).get(protocol_url(phase))

    if role in EXPORTERS:
        assert response.status_code == 200
        assert logged(phase) == 1
    else:
        assert response.status_code == (302 if role is None else 403)
        assert logged(phase) == 0


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.REVIEWER])
def test_a_phase_not_completed_has_no_protocol_and_a_stranger_learns_not_even_that(
    role: Role, users_by_role: dict[Role | None, User | None]
) -> None:
    phase = make_phase(state=Phase.State.UNDER_WAY)

    response = client_for(users_by_role[role]).get(protocol_url(phase))

    if role in EXPORTERS:
        assert response.status_code == 404
        assert "Phase 1 is not completed" in response.content.decode()
        assert f'href="/exchanges/phases/{phase.pk}/"' in response.content.decode()
    else:
        assert response.status_code == 403
    assert logged(phase) == 0


def test_the_protocol_lists_each_direction_numbered_with_its_counts_and_both_officials(
    official: User,
) -> None:
    phase = completed_phase(returned=2, handed_over=1, civilians=1, declared_extra=3)

    page = client_for(official).get(protocol_url(phase)).content.decode()

    returned, handed_over = page.split('id="returned-heading"')[1].split('id="handed-over-heading"')
    assert "Returned to our side: 3" in returned
    assert re.findall(r'class="number"[^>]*>(\d+)<', returned) == ["1", "2", "3"]
    for name in ("Коваленко0", "Коваленко1", "Бондаренко0"):
        assert name in returned
    assert "— · — · А0000001" in returned  # no rank, no unit: said, not left blank
    assert "Handed over to the other side: 1" in handed_over
    assert "Іванов0" in handed_over
    assert "Коваленко0" not in handed_over
    # Declared beside named, per direction and category: 5 servicemen declared, 2 named.
    counts = page.split('class="tally')[1].split("</table>")[0]
    servicemen = counts.split("Returned: servicemen")[1].split("</tr>")[0]
    assert re.findall(r">(-?\d+)</td>", servicemen) == ["5", "2", "3"]
    handed = counts.split("Handed over: servicemen")[1].split("</tr>")[0]
    assert re.findall(r">(-?\d+)</td>", handed) == ["1", "1", "0"]
    # Both officials, with the times they proposed and approved (Kyiv time).
    approval = page.split('id="approval-heading"')[1]
    assert f"Олена Мирна (proposer-{phase.pk})" in approval
    assert "23.05.2025 12:30" in approval
    assert f"approver-{phase.pk}" in approval
    assert "23.05.2025 18:45" in approval
    assert approval.count('class="line"') == 4  # a signature and a date each
    assert f"by {official.get_username()}" in page


def test_the_protocol_speaks_ukrainian_by_default(official: User) -> None:
    phase = completed_phase()

    page = client_for(official, language="uk").get(protocol_url(phase)).content.decode()

    assert "Протокол етапу обміну 1" in page
    assert "Повернуто на наш бік: 3" in page
    assert "Передано іншій стороні: 1" in page


def test_each_opening_is_one_line_of_the_access_log_naming_who(official: User) -> None:
    phase = completed_phase()
    client = client_for(official)

    client.get(protocol_url(phase))
    client.get(protocol_url(phase))

    entries = AccessLogEntry.objects.filter(object_ref=f"phase-protocol:{phase.pk}")
    assert [(e.user_id, e.kind) for e in entries] == [(official.pk, "export")] * 2


def test_the_phase_page_links_its_protocol_once_the_phase_is_completed(
    users_by_role: dict[Role | None, User | None],
) -> None:
    completed, open_phase = completed_phase(), make_phase(number=2)

    for role, phase, shown in [
        (Role.OFFICIAL, completed, True),
        (Role.OFFICIAL, open_phase, False),
        (Role.REVIEWER, completed, False),  # reads the phase, may not take its people away
    ]:
        page = client_for(users_by_role[role]).get(f"/exchanges/phases/{phase.pk}/")
        assert (protocol_url(phase) in page.content.decode()) is shown, (role, phase)


def test_the_protocol_of_a_hundred_people_takes_the_queries_of_one(official: User) -> None:
    client = client_for(official)
    queries = []
    for people in (1, 100):
        phase = completed_phase(returned=people, handed_over=people, civilians=0)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(protocol_url(phase))
        assert response.status_code == 200
        assert response.content.decode().count('<tr><td class="number"') == 2 * people
        queries.append(len(captured))

    assert queries[0] == queries[1]


def test_a_phase_completed_without_recorded_officials_says_so_and_leaves_lines_to_sign(
    official: User,
) -> None:
    # The demo's past phases are recorded completed, with nobody's approval on them.
    phase = make_phase(state=Phase.State.COMPLETED, handed_over_on=date(2025, 5, 24))

    page = client_for(official).get(protocol_url(phase)).content.decode()

    approval = page.split('id="approval-heading"')[1]
    assert approval.count("Not recorded") == 2
    assert approval.count('class="line"') == 4
    assert "24.05.2025" in page  # the day they crossed, a day after the phase's date
    assert "Nobody was handed over to the other side in this phase." in page
