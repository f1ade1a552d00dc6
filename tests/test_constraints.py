"""A database constraint that a form, the admin or the API can trip speaks to people in their
language; its name (phase_number_positive) is for the database, never for a page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.timezone import now

from accounts.roles import Role
from captives.models import Captive, Spelling
from exchanges.models import Phase, ReleaseList, ReleaseListRow, Transfer
from inquiries.models import Inquiry, Sighting
from tests.factories import make_captive, make_phase, make_provenance, make_user

pytestmark = pytest.mark.django_db


def _phase_numbered_zero() -> models.Model:
    return Phase(exchange=make_phase().exchange, number=0, date=date(2025, 6, 1))


def _phase_numbered_like_another() -> models.Model:
    taken = make_phase()
    return Phase(exchange=taken.exchange, number=taken.number, date=date(2025, 6, 1))


def _phase_approved_by_its_proposer() -> models.Model:
    official = make_user(Role.OFFICIAL)
    return Phase(
        exchange=make_phase().exchange,
        number=2,
        date=date(2025, 6, 1),
        proposed_by=official,
        approved_by=official,
    )


def _transfer_twice_in_a_phase() -> models.Model:
    phase, captive = make_phase(), make_captive()
    Transfer.objects.create(phase=phase, captive=captive, direction="returned")
    return Transfer(phase=phase, captive=captive, direction="returned")


def _list_row(**fields: object) -> ReleaseListRow:
    release_list = ReleaseList.objects.create(
        phase=make_phase(), received_on=date(2025, 5, 21), sha256="e" * 64
    )
    ReleaseListRow.objects.create(
        release_list=release_list, line_number=1, full_name="Бондар Петро", **fields
    )
    return ReleaseListRow(release_list=release_list, line_number=2, full_name="Бондар Павло")


def _row_with_a_line_number_taken() -> models.Model:
    row = _list_row()
    row.line_number = 1
    return row


def _two_rows_of_one_person() -> models.Model:
    captive = make_captive()
    row = _list_row(captive=captive)
    row.captive = captive
    return row


def _matched_row_without_a_person() -> models.Model:
    row = _list_row()
    row.outcome = "matched"
    return row


def _inquiry_without_contact() -> models.Model:
    return Inquiry(reference="HC-TEST-0001", email="", phone="", consent_given_at=now())


def _inquiry_verified_without_how() -> models.Model:
    return Inquiry(
        reference="HC-TEST-0002", email="m@example.org", consent_given_at=now(), verified_at=now()
    )


def _inquiry_photo_shown_without_a_photo() -> models.Model:
    return Inquiry(
        reference="HC-TEST-0003",
        email="m@example.org",
        consent_given_at=now(),
        photo_shown_to_returnees_at=now(),
    )


def _sighting_of_oneself() -> models.Model:
    returnee = make_captive()
    return Sighting(reporter=returnee, seen_captive=returnee, recorded_by=make_user(None))


def _captive_with_a_taken_external_id() -> models.Model:
    taken = make_captive()
    return Captive(
        source=taken.source,
        external_id=taken.external_id,
        family_name="Бондар",
        given_name="Петро",
        category="serviceman",
        provenance=taken.provenance,
    )


def _spelling_twice() -> models.Model:
    captive, provenance = make_captive(), make_provenance()
    Spelling.objects.create(captive=captive, full_name="Bondar Petro", provenance=provenance)
    return Spelling(captive=captive, full_name="Bondar Petro", provenance=provenance)


@pytest.mark.parametrize(
    ("constraint", "violating"),
    [
        ("phase_number_positive", _phase_numbered_zero),
        ("phase_number_unique", _phase_numbered_like_another),
        ("phase_approved_by_a_second_official", _phase_approved_by_its_proposer),
        ("transfer_once_per_phase", _transfer_twice_in_a_phase),
        ("release_list_row_line_unique", _row_with_a_line_number_taken),
        ("release_list_row_captive_unique", _two_rows_of_one_person),
        ("release_list_row_match_has_captive", _matched_row_without_a_person),
        ("inquiry_has_contact", _inquiry_without_contact),
        ("inquiry_verification_explained", _inquiry_verified_without_how),
        ("inquiry_photo_shown_only_if_sent", _inquiry_photo_shown_without_a_photo),
        ("sighting_not_of_oneself", _sighting_of_oneself),
        ("captive_external_id_unique_per_source", _captive_with_a_taken_external_id),
        ("spelling_unique", _spelling_twice),
    ],
)
def test_a_violated_constraint_is_told_in_ukrainian_without_its_name(
    constraint: str, violating: Callable[[], models.Model]
) -> None:
    instance = violating()

    with translation.override("uk"), pytest.raises(ValidationError) as refused:
        instance.validate_constraints()

    told = " ".join(refused.value.messages)
    assert constraint not in told
    assert any("а" <= letter <= "я" for letter in told.lower()), told
