"""A list too big is refused at its first row past the limit, before the rest of it is read;
and no stored file is ever left without its list."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection

from accounts.models import User
from captives.sheets import SheetError
from exchanges.listfile import MAX_ROWS
from exchanges.models import ReleaseList, ReleaseListRow
from exchanges.orphans import GRACE, sweep_orphaned_list_files
from exchanges.reconciliation import receive_release_list
from exchanges.tasks import sweep_orphaned_list_files_task
from tests.factories import make_phase

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 5, 22, 10, 0, tzinfo=UTC)
# A cell past csv's field limit: reading this line would refuse the file as unreadable CSV.
UNREADABLE_LINE = "x;" + "y" * 200_000 + "\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def receive(data: bytes, filename: str, by: User) -> ReleaseList:
    release_list, _ = receive_release_list(
        phase=make_phase(),
        data=data,
        filename=filename,
        received_on=date(2025, 5, 21),
        sent_by=ReleaseList.Sender.OTHER_SIDE,
        by=by,
    )
    return release_list


def csv_rows(count: int) -> str:
    return "№;ПІБ\n" + "".join(f"{n};Коваль Іван\n" for n in range(1, count + 1))


def xlsx_rows(count: int, tail: bytes = b"") -> bytes:
    """A workbook of ``count`` name rows; ``tail`` written into the sheet's XML after them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ПІБ"])
    for _ in range(count):
        sheet.append(["Коваль Іван"])
    plain = io.BytesIO()
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = "xl/worksheets/sheet1.xml"
    parts[sheet_xml] = parts[sheet_xml].replace(b"</sheetData>", tail + b"</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.slow
def test_a_list_at_the_row_limit_is_received(official: User) -> None:
    assert receive(csv_rows(MAX_ROWS).encode(), "list.csv", official).rows_total == MAX_ROWS


def test_a_csv_past_the_row_limit_is_refused_at_its_first_row_past_it_unread_beyond(
    official: User, media: Path
) -> None:
    """The line after the one too many would refuse the file for another reason if it were
    read: the refusal names the limit, so reading stopped there."""
    data = (csv_rows(MAX_ROWS + 1) + UNREADABLE_LINE + csv_rows(1000)).encode()

    with pytest.raises(SheetError) as refused:
        receive(data, "list.csv", official)

    assert str(refused.value) == (
        f"Line {MAX_ROWS + 2}: The file has more than {MAX_ROWS} rows; the limit is {MAX_ROWS}."
    )
    assert (ReleaseList.objects.count(), ReleaseListRow.objects.count()) == (0, 0)
    assert stored(media) == []


def test_the_unreadable_line_would_refuse_the_file_if_it_were_read(official: User) -> None:
    with pytest.raises(SheetError, match="field larger than field limit"):
        receive((csv_rows(3) + UNREADABLE_LINE).encode(), "list.csv", official)


def test_an_xlsx_past_the_row_limit_is_refused_without_parsing_the_rest_of_its_sheet(
    official: User,
) -> None:
    """The workbook's XML is broken well after the row past the limit: a reader that went on
    would refuse it as unreadable."""
    broken = b'<row r="999999"><c r="A999999" t="inlineStr"><is><t>x</t></row>' * 2000
    assert _unreadable_when_read_whole(xlsx_rows(3, tail=broken), official)

    with pytest.raises(SheetError, match=f"more than {MAX_ROWS} rows; the limit is {MAX_ROWS}"):
        receive(xlsx_rows(MAX_ROWS + 1 + 3000, tail=broken), "list.xlsx", official)


def _unreadable_when_read_whole(data: bytes, by: User) -> bool:
    with pytest.raises(SheetError) as refused:
        receive(data, "list.xlsx", by)
    return "not a readable XLSX" in str(refused.value) or "cannot" in str(refused.value)


def test_a_list_whose_transaction_fails_after_its_file_is_saved_leaves_no_file(
    official: User, media: Path
) -> None:
    """PostgreSQL refuses the list's last write (here a trigger, as a full disk or a dropped
    connection would): the transaction rolls back, and the file it saved is deleted too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_list_file() RETURNS trigger AS $$ BEGIN "
            "IF NEW.file <> '' THEN RAISE EXCEPTION 'no room for the file'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_list_file BEFORE INSERT OR UPDATE ON exchanges_releaselist "
            "FOR EACH ROW EXECUTE FUNCTION refuse_list_file();"
        )

    with pytest.raises(DatabaseError, match="no room for the file"):
        receive(csv_rows(3).encode(), "list.csv", official)

    assert ReleaseList.objects.count() == 0
    assert stored(media) == []


def _age(name: str, by: timedelta) -> None:
    old = (NOW - by).timestamp()
    os.utime(default_storage.path(name), (old, old))


def _orphan(age: timedelta) -> str:
    name = default_storage.save("release-lists/left.csv", ContentFile(b"\xd0\x9f\xd0\x86\xd0\x91"))
    _age(name, age)
    return name


def test_the_sweep_deletes_old_files_no_list_points_to_and_nothing_else(official: User) -> None:
    kept = receive(csv_rows(2).encode(), "list.csv", official)
    _age(kept.file.name, GRACE * 10)
    old = _orphan(GRACE + timedelta(minutes=1))
    young = _orphan(GRACE - timedelta(minutes=1))  # perhaps an upload still in its transaction
    photo = default_storage.save("photos/a.jpg", ContentFile(b"jpeg"))
    _age(photo, GRACE * 10)

    swept = sweep_orphaned_list_files(now=NOW)

    assert swept == [old]
    assert not default_storage.exists(old)
    assert all(default_storage.exists(n) for n in (kept.file.name, young, photo))


def test_the_sweep_with_no_folder_yet_deletes_nothing() -> None:
    assert sweep_orphaned_list_files(now=NOW) == []


def test_the_sweep_task_run_twice_deletes_a_file_once() -> None:
    old = _orphan(timedelta(days=2))  # the task sweeps as of now

    assert [sweep_orphaned_list_files_task(), sweep_orphaned_list_files_task()] == [1, 0]
    assert not default_storage.exists(old)


def test_the_sweep_command_says_what_it_deleted(capsys: pytest.CaptureFixture[str]) -> None:
    old = _orphan(timedelta(days=2))

    call_command("sweep_list_files")

    assert capsys.readouterr().out == f"deleted {old}\n1 file(s) no list points to deleted.\n"
