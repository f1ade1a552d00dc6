"""A person's status in the form their sex takes: Ukrainian genders it, and says it in words
that name no sex where the registry does not know; English says it alike of anyone."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import User
from captives import wording
from captives.lifecycle import Status
from captives.models import Sex, status_label
from captives.services import change_status
from tests.factories import make_captive, make_provenance, sign_in


@pytest.mark.parametrize(
    ("status", "sex", "said"),
    [
        (Status.RETURNED, Sex.MALE, "Повернувся додому"),
        (Status.RETURNED, Sex.FEMALE, "Повернулася додому"),
        (Status.RETURNED, Sex.UNKNOWN, "Повернення додому підтверджено"),
        (Status.MISSING, Sex.MALE, "Зник безвісти"),
        (Status.MISSING, Sex.FEMALE, "Зникла безвісти"),
        (Status.MISSING, Sex.UNKNOWN, "Особа зникла безвісти"),
        (Status.DECEASED, Sex.FEMALE, "Загинула"),
        (Status.DECEASED, Sex.UNKNOWN, "Особа загинула"),
        (Status.RELEASED_OTHERWISE, Sex.FEMALE, "Звільнена іншим шляхом"),
        (Status.RELEASED_OTHERWISE, Sex.UNKNOWN, "Звільнено іншим шляхом"),
        (Status.LISTED, Sex.FEMALE, "Включено до списку на обмін"),
    ],
)
def test_a_status_is_said_in_ukrainian_in_the_form_of_the_persons_sex(
    status: Status, sex: Sex, said: str
) -> None:
    with translation.override("uk"):
        assert status_label(status, sex) == said


@pytest.mark.parametrize("status", Status)
def test_english_says_every_status_alike_of_anyone(status: Status) -> None:
    assert {status_label(status, sex) for sex in Sex} == {str(status.label)}


def test_a_sex_the_registry_never_wrote_reads_as_unknown() -> None:
    with translation.override("uk"):
        assert status_label(Status.RETURNED, "") == "Повернення додому підтверджено"


@pytest.mark.django_db
def test_a_womans_record_says_her_status_and_its_history_in_the_feminine(
    official: User,
) -> None:
    woman = make_captive(given_name="Олена", patronymic="Петрівна", sex=Sex.FEMALE)
    change_status(
        captive=woman,
        to=Status.LISTED,
        by=official,
        reason=wording.LISTED_IN_PHASE(number=1),
        provenance=make_provenance(),
    )
    change_status(
        captive=woman,
        to=Status.RETURNED,
        by=official,
        reason=wording.CAME_HOME(number=1),
        provenance=make_provenance(),
    )
    client = Client()  # Ukrainian by default
    sign_in(client, official)

    page = html.unescape(client.get(f"/registry/{woman.public_id}/").content.decode())

    assert "<dd>Повернулася додому</dd>" in page
    assert page.count("Повернулася додому") == 2  # the record, and the history's last row
    assert "Повернувся" not in page
