from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from captives.models import Captive, Merge
from captives.queries import search_registry
from config.errors import ConflictError, DomainError
from exchanges.models import Direction, ReleaseListRow, Transfer
from inquiries.models import Sighting
from tests.factories import (
    approve_phase,
    make_captive,
    make_exchange,
    make_matched_list,
    make_phase,
    make_user,
    sign_in,
)
from workflows.confirmation import propose_confirmation
from workflows.merging import merge_captives, undo_merge

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def _pair() -> tuple[Captive, Captive]:
    kept = make_captive(
        family_name="Гнатюк",
        given_name="Дмитро",
        patronymic="Юрійович",
        birth_date=date(1998, 12, 3),
    )
    duplicate = make_captive(
        family_name="Гнатюк",
        given_name="Дмитрий",
        patronymic="Юрьевич",
        birth_date=date(1998, 12, 3),
    )
    return kept, duplicate


def test_merge_moves_everything_keeps_both_histories_and_leaves_search(official: User) -> None:
    kept, duplicate = _pair()
    transfer = Transfer.objects.create(
        phase=make_phase(), captive=duplicate, direction=Direction.RETURNED
    )
    sighting = Sighting.objects.create(
        reporter=make_captive(family_name="Коваль"),
        seen_full_name="Гнатюк Дмитрий",
        seen_captive=duplicate,
        recorded_by=official,
    )
    history_before = duplicate.history.count()

    merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason="Same person")

    assert Transfer.objects.get(pk=transfer.pk).captive == kept
    assert Sighting.objects.get(pk=sighting.pk).seen_captive == kept
    assert Captive.objects.get(pk=duplicate.pk).merged_into == kept
    assert duplicate.history.count() == history_before + 1
    assert transfer.history.order_by("-history_id")[0].history_user == official
    assert "Гнатюк Дмитрий Юрьевич" in kept.spellings.values_list("full_name", flat=True)
    assert [f.captive for f in search_registry("Гнатюк")] == [kept]


def test_a_merge_with_the_longest_reason_the_form_takes_moves_the_rows(official: User) -> None:
    kept, duplicate = _pair()
    transfer = Transfer.objects.create(
        phase=make_phase(), captive=duplicate, direction=Direction.RETURNED
    )
    reason = ("Той самий номер документа. " * 12)[:300]  # MergeForm takes up to 300

    merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason=reason)

    moved = transfer.history.latest("history_id")
    assert (moved.captive_id, moved.history_change_reason) == (kept.pk, f"Merged: {reason}"[:100])


def test_undo_moves_exactly_that_back(official: User) -> None:
    kept, duplicate = _pair()
    Transfer.objects.create(phase=make_phase(), captive=duplicate, direction=Direction.RETURNED)
    merge = merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason="Same")

    undo_merge(merge=merge, by=official, at=NOW)

    assert Transfer.objects.get().captive == duplicate
    assert Captive.objects.get(pk=duplicate.pk).merged_into is None
    assert not kept.spellings.exists()
    with pytest.raises(ConflictError):
        undo_merge(merge=merge, by=official, at=NOW)


def test_a_merge_is_not_undone_once_a_phase_completed_with_the_merged_person(
    official: User,
) -> None:
    kept, duplicate = _pair()
    phase = make_phase()
    make_matched_list(phase, [duplicate])
    merge = merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason="Same")
    approver = make_user(Role.OFFICIAL)
    propose_confirmation(phase=phase, by=official, at=NOW)
    approve_phase(phase=phase, by=approver, at=NOW)

    with pytest.raises(DomainError, match=r"phase 1 of .* was completed with these records"):
        undo_merge(merge=merge, by=official, at=NOW)

    assert ReleaseListRow.objects.get(release_list__phase=phase).captive == kept
    assert Transfer.objects.get(phase=phase).captive == kept
    assert Captive.objects.get(pk=duplicate.pk).merged_into == kept
    assert Merge.objects.get(pk=merge.pk).undone_at is None


def test_two_people_who_both_came_home_are_not_merged(official: User) -> None:
    kept, duplicate = _pair()
    exchange = make_exchange()
    for number, person in ((1, kept), (2, duplicate)):
        Transfer.objects.create(
            phase=make_phase(exchange, number=number),
            captive=person,
            direction=Direction.RETURNED,
            state=Transfer.State.CONFIRMED,
            confirmed_by=official,
            confirmed_at=NOW,
        )

    with pytest.raises(DomainError, match="cannot be merged"):
        merge_captives(kept=kept, duplicate=duplicate, by=official, at=NOW, reason="Same")

    assert Transfer.objects.filter(captive=duplicate).count() == 1
    assert Captive.objects.get(pk=duplicate.pk).merged_into is None


def test_the_captive_page_merges_and_undoes(official: User) -> None:
    kept, duplicate = _pair()
    client = Client()
    sign_in(client, official)
    url = f"/registry/{kept.public_id}/merge/"

    refused = client.post(url, {"duplicate": str(kept.public_id), "reason": "x"}, follow=True)
    client.post(url, {"duplicate": str(duplicate.public_id), "reason": "Same documents"})
    page = client.get(f"/registry/{kept.public_id}/").content.decode()

    assert "із самим собою" in refused.content.decode()  # the refusal, in Ukrainian
    assert Captive.objects.get(pk=duplicate.pk).merged_into == kept
    assert "Same documents" in page
    merge = kept.merges_kept.get()
    client.post(f"/registry/merges/{merge.pk}/undo/")
    assert Captive.objects.get(pk=duplicate.pk).merged_into is None


def test_the_merge_form_asks_for_an_identifier_not_a_list_of_everyone(official: User) -> None:
    kept, _ = _pair()
    client = Client()
    sign_in(client, official)

    page = client.get(f"/registry/{kept.public_id}/").content.decode()

    assert '<input type="text" name="duplicate"' in page
    assert '<select name="duplicate"' not in page
