"""The process's registry index: rebuilt when the registry changes, kept out of the garbage
collector's way, and the replaced one freed."""

from __future__ import annotations

import gc
import weakref

import pytest

from captives.matching.index import Prepared
from captives.registry import registry_index
from tests.factories import make_captive

pytestmark = pytest.mark.django_db


@pytest.mark.settling
def test_the_index_is_rebuilt_on_change_frozen_and_the_old_one_freed() -> None:
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    first = registry_index()
    assert registry_index() is first  # nothing changed: the same index
    assert gc.get_freeze_count() >= first.size
    gone = weakref.ref(first)
    del first

    make_captive(family_name="Білик", given_name="Тарас", patronymic="Іванович")
    second = registry_index()

    assert gone() is None
    assert {second.names[at].raw for at in second.family_at} >= {"Гнатюк", "Білик"}
    assert gc.get_freeze_count() >= second.size


@pytest.mark.settling
def test_no_collection_walks_the_index_it_builds() -> None:
    """The garbage is collected before the build, while that is cheap; a collection after it
    would walk every object of the new index once more (a quarter of a second at 100,000)."""
    make_captive(family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович")
    walked: list[bool] = []

    def on_collection(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            walked.append(any(isinstance(o, Prepared) for o in gc.get_objects()))

    gc.callbacks.append(on_collection)
    try:
        index = registry_index()
    finally:
        gc.callbacks.remove(on_collection)

    assert walked, "the garbage was not collected before the build"
    assert not any(walked)
    assert gc.get_freeze_count() >= index.size
