"""The process's registry index: rebuilt when the registry changes, kept out of the garbage
collector's way, and the replaced one freed."""

from __future__ import annotations

import gc
import weakref

import pytest

from captives.registry import registry_index
from tests.factories import make_captive

pytestmark = pytest.mark.django_db


@pytest.mark.settling
def test_the_index_is_rebuilt_on_change_frozen_and_the_old_one_freed() -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    first = registry_index()
    assert registry_index() is first  # nothing changed: the same index
    assert gc.get_freeze_count() >= len(first.people)
    gone = weakref.ref(first)
    del first

    make_captive(family_name="Білик", given_name="Тарас", patronymic="Іванович")
    second = registry_index()

    assert gone() is None
    assert {p.person.family_name for p in second.people} >= {"Гнатюк", "Білик"}
    assert gc.get_freeze_count() >= len(second.people)
