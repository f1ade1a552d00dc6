"""Every hostile release list, through the parsing service and through the officials' upload
page: a clear error naming the line or column (or the file), or a clean import; never a 500,
and nothing of a refused file is saved."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from captives.sheets import SheetError
from exchanges.models import ReleaseList, ReleaseListRow
from exchanges.reconciliation import receive_release_list
from tests.factories import make_phase, sign_in
from tests.hostile.make_corpus import BIG, big_files

HERE = Path(__file__).resolve().parent
# File → the words its refusal must contain, or the number of rows a clean import stores.
EXPECTED: dict[str, str | int] = {
    "empty.csv": "empty",
    "bom-only.csv": "no rows",
    "utf16-bom-only.csv": "no rows",
    "blank-lines-only.csv": "no rows",
    "header-only.csv": "Line 1: The file has a header and no data rows",
    "no-name-column.csv": "Line 1: No name column",
    "headers-missing.csv": "Line 1: No name column",
    "mixed-delimiters.csv": "Line 1: No name column",
    "utf8-mixed-with-cp1251.csv": "Line 1: No name column",
    "binary-junk.csv": "not text",
    "nul-bytes.csv": "not text",
    "utf16-with-nul.csv": "Line 2: A NUL character",
    "control-characters.csv": "control characters",
    "png-named-csv.csv": "not text",
    "pdf-named-csv.csv": "not text",
    "old-excel.xls": "old Excel file",
    "truncated-xlsx.xlsx": "not a readable XLSX",
    "zip-not-xlsx.xlsx": "not a readable XLSX",
    # Their sheets do not say their size: refused before any XML parser reads them.
    "xlsx-xxe.xlsx": "does not say how many rows it has",
    "xlsx-billion-laughs.xlsx": "does not say how many rows it has",
    "xlsx-empty-workbook.xlsx": "no rows",
    "overlong-names.csv": "refused whole (Line 2: the name is longer than 300 characters",
    "numbers-for-names.csv": "refused whole (Line 2: “12345” is not a name",
    "overlong-cell.csv": "Line 2: The file cannot be read as CSV: field larger than field limit",
    "million-rows.csv": "20 MB",
    "too-many-rows.csv": "Line 5002: The file has more than 5000 rows; the limit is 5000.",
    "xlsx-zip-bomb.xlsx": "refused as unsafe",
    "xlsx-ratio-bomb.xlsx": "refused as unsafe",
    # Clean imports: the rows that can be read, each kept as written.
    "bidi-and-zero-width.csv": 2,
    "cp1251.csv": 2,
    "decomposed-unicode.csv": 2,
    "duplicate-lines.csv": 4,  # reconciliation, not the reader, finds two lines for one person
    "duplicate-numbers.csv": 4,  # "№" 1, 2, 1, 2: rows numbered by their order instead
    "emoji-names.csv": 1,  # "😀😀😀" is no name: one problem row of two is tolerated
    "formula-cells.csv": 5,  # stored as text, never evaluated
    "header-again-midway.csv": 4,
    "impossible-dates.csv": 5,  # the date as written is kept; no date is invented
    "koi8-u.csv": 2,
    "latin1-wrong-encoding.csv": 2,
    "markup-names.csv": 5,
    "newlines-inside-cells.csv": 2,
    "old-mac-line-endings.csv": 2,
    "one-overlong-name.csv": 2,
    "sql-and-template-names.csv": 1,
    "ten-thousand-columns.csv": 1,
    "unclosed-quote.csv": 1,  # one cell to the end of the file, which a reviewer will see
    "utf16-le-no-bom.csv": 2,
    "xlsx-formulas.xlsx": 3,  # formulas with no saved value read as empty rows
    "xlsx-markup-names.xlsx": 5,
}
SMALL = sorted(p.name for p in (HERE / "lists").iterdir())


def test_the_corpus_has_at_least_fifty_files_and_each_has_an_expectation() -> None:
    registry = list((HERE / "registry").iterdir())
    assert sorted(EXPECTED) == sorted([*SMALL, *BIG])
    assert len(EXPECTED) + len(registry) >= 50


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return big_files(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def corpus(big: dict[str, Path]) -> dict[str, Path]:
    return {name: HERE / "lists" / name for name in SMALL} | big


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def saved() -> tuple[int, int]:
    return ReleaseList.objects.count(), ReleaseListRow.objects.count()


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_list_through_the_parsing_service(
    name: str, corpus: dict[str, Path], official: User, media: Path
) -> None:
    phase, expected = make_phase(), EXPECTED[name]
    before = saved()

    def receive() -> ReleaseList:
        release_list, _ = receive_release_list(
            phase=phase,
            data=corpus[name].read_bytes(),
            filename=name,
            received_on=date(2025, 5, 21),
            sent_by=ReleaseList.Sender.OTHER_SIDE,
            by=official,
        )
        return release_list

    if isinstance(expected, str):
        with pytest.raises(SheetError) as refused:
            receive()
        assert expected in str(refused.value)
        assert saved() == before
        assert stored_files(media) == []
    else:
        assert receive().rows.count() == expected
        assert saved() == (before[0] + 1, before[1] + expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_list_through_the_upload_page(
    name: str, corpus: dict[str, Path], official: User, media: Path
) -> None:
    phase, expected = make_phase(), EXPECTED[name]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # a 500 raises here: the test fails on it
    sign_in(client, official)
    before = saved()

    response = client.post(
        f"/exchanges/phases/{phase.pk}/lists/new/",
        {
            "file": SimpleUploadedFile(name, corpus[name].read_bytes()),
            "received_on": "2025-05-21",
            "sent_by": "other_side",
        },
    )

    if isinstance(expected, str):
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        shown = "The file is larger than 20 MB" if expected == "20 MB" else expected
        assert shown in page
        assert saved() == before
        assert stored_files(media) == []
    else:
        assert response.status_code == 302
        assert saved()[1] == before[1] + expected
