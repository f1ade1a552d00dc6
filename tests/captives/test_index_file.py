"""The registry's index in a file: loaded by the next process for the same registry, and never
for another registry, another version of the keys, or a file this application did not write."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from captives import index_file, registry
from captives.matching import Entry, RegistryIndex, decide
from captives.matching.stored import keys_version
from captives.registry import loaded_or_built, registry_version
from tests.factories import make_captive

pytestmark = pytest.mark.django_db

ROW = Entry(1, "Hnatiuk Dmytro Yuriiovych", birth_date=date(1990, 5, 4))


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.REGISTRY_INDEX_DIR = str(tmp_path / "index")
    return tmp_path / "index"


def _registry() -> tuple[int, tuple[object, ...]]:
    person = make_captive(
        family_name="Гнатюк", given_name="Дмитро", patronymic="Юрійович", birth_date=ROW.birth_date
    )
    make_captive(family_name="Білик", given_name="Тарас", patronymic="Іванович")
    return person.pk, registry_version()


def test_the_next_process_loads_the_index_instead_of_building_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pk, version = _registry()
    built = loaded_or_built(version)

    def refuse() -> None:
        raise AssertionError("the index was built, not loaded")

    monkeypatch.setattr(registry, "load_persons", refuse)
    loaded = loaded_or_built(version)

    assert loaded is not built
    assert decide(ROW, loaded) == decide(ROW, built)
    assert decide(ROW, loaded).person_id == pk
    assert list(folder.iterdir()) == [index_file._path()]


def test_a_file_for_another_state_of_the_registry_is_not_loaded(folder: Path) -> None:
    _, version = _registry()
    loaded_or_built(version)
    make_captive(family_name="Коваль", given_name="Іван")

    assert registry_version() != version
    assert index_file.load(registry_version()) is None
    assert index_file.load(version) is not None


def test_a_file_made_with_other_name_keys_is_not_loaded(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, version = _registry()
    loaded_or_built(version)
    monkeypatch.setattr(index_file, "keys_version", lambda: keys_version() + "-next")

    assert index_file.load(version) is None


def test_a_file_written_by_other_code_of_the_engine_is_not_loaded(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index of another shape (before a deployment) would fail at its first search."""
    _, version = _registry()
    loaded_or_built(version)
    assert index_file.load(version) is not None
    monkeypatch.setattr(index_file, "_engine", lambda: "the next release")

    assert index_file.load(version) is None


class Payload:
    """What a hostile file would carry: unpickling it runs ``ran.append``."""

    ran: list[str] = []

    def __reduce__(self) -> tuple[Any, ...]:
        return (Payload.ran.append, ("unpickled",))


@pytest.mark.parametrize("forged", ["unsigned", "another key", "a byte changed"])
def test_a_file_this_application_did_not_write_is_never_unpickled(
    folder: Path, settings: Any, forged: str
) -> None:
    _, version = _registry()
    loaded_or_built(version)
    path = index_file._path()
    assert path is not None
    kept = path.read_bytes()
    label = pickle.dumps(index_file._label(version))
    hostile = len(label).to_bytes(4, "big") + label + pickle.dumps(Payload())
    if forged == "unsigned":
        path.write_bytes(b"\0" * 32 + hostile)
    elif forged == "another key":
        settings.SECRET_KEY = "another-" + settings.SECRET_KEY
        path.write_bytes(index_file._signature(hostile) + hostile)
        settings.SECRET_KEY = settings.SECRET_KEY.removeprefix("another-")
    else:
        path.write_bytes(kept[:-1] + bytes([kept[-1] ^ 1]))

    assert index_file.load(version) is None
    assert Payload.ran == []


def test_a_folder_that_cannot_be_written_costs_a_build_not_a_search(
    settings: Any, tmp_path: Path
) -> None:
    (tmp_path / "a file").write_text("not a folder")
    settings.REGISTRY_INDEX_DIR = str(tmp_path / "a file" / "index")
    pk, version = _registry()

    index = loaded_or_built(version)

    assert isinstance(index, RegistryIndex)
    assert decide(ROW, index).person_id == pk
    assert index_file.load(version) is None


def test_without_a_folder_nothing_is_written(settings: Any, tmp_path: Path) -> None:
    settings.REGISTRY_INDEX_DIR = ""
    _, version = _registry()

    loaded_or_built(version)

    assert index_file.load(version) is None
    assert list(tmp_path.iterdir()) == []
