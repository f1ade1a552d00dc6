"""Reading the tabular files the other side sends: CSV in any of its encodings, or XLSX.

No Django here. Every refusal is a ``SheetError`` that names the line or column, so that an
official can fix the file or ask for a better one. Its message is English with named
placeholders, marked with ``gettext_noop`` for the translators' catalogue; the page or API
answer that shows it passes Django's ``gettext`` to ``SheetError.text``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100  # a list has a dozen; wider sheets are read this far
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_ZIP_RATIO = 100
SHEET_HEAD = 64 * 1024  # a worksheet says its size (<dimension>) in its first few hundred bytes
SHEET = re.compile(rb"<(?:\w+:)?worksheet[\s>]")
SIZE_OR_ROWS = re.compile(rb"<(?:\w+:)?(dimension|sheetData)[\s/>]")
DELIMITERS = ",;\t"
# The Cyrillic code pages a clerk's spreadsheet may be saved in, tried after UTF-8 fails.
CYRILLIC_CODEPAGES = ("cp1251", "koi8_u", "koi8_r")
COMMON_CYRILLIC = set("оеаинтсрвлкмдпуяызбгчйхжшюцщэфєіїґОЕАИНТСРВЛКМДПУЯЫЗБГЧЙХЖШЮЦЩЭФЄІЇҐ")
SAMPLE_BYTES = 40_000  # enough for the 20,000 characters the code page is judged on
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (which looks for this name) and returns it as is:
    it is translated where it is shown, in the reader's language."""
    return message


class SheetError(ValueError):
    """A file that cannot be read, with where the trouble is.

    ``message`` is a catalogue message (English, ``%(name)s`` placeholders filled from
    ``params``); a parameter may itself be a ``SheetError`` or a tuple of them, said in turn.
    """

    def __init__(
        self, message: str, line: int | None = None, column: str | None = None, **params: object
    ) -> None:
        self.message, self.line, self.column, self.params = message, line, column, params
        super().__init__(self.text())

    def __str__(self) -> str:
        return self.text()

    def text(self, translate: Callable[[str], str] = gettext_noop) -> str:
        """The refusal in words, every message through ``translate`` (Django's gettext on a
        page, as is in a log or on the command line)."""
        said = translate(self.message)
        if self.params:
            said = said % {name: _said(value, translate) for name, value in self.params.items()}
        where = {"line": self.line, "column": self.column, "message": said}
        if self.line is not None and self.column:
            return (
                translate(gettext_noop("Line %(line)s, column “%(column)s”: %(message)s")) % where
            )
        if self.line is not None:
            return translate(gettext_noop("Line %(line)s: %(message)s")) % where
        if self.column:
            return translate(gettext_noop("Column “%(column)s”: %(message)s")) % where
        return said


def _said(value: object, translate: Callable[[str], str]) -> object:
    if isinstance(value, SheetError):
        return value.text(translate)
    if isinstance(value, tuple) and all(isinstance(part, SheetError) for part in value):
        return "; ".join(part.text(translate) for part in value)
    return value


@dataclass(frozen=True)
class SheetRow:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def read_table(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """The header and data rows of a CSV/TSV/TXT or XLSX file, all cells as stripped text."""
    if not data:
        raise SheetError(gettext_noop("The file is empty."))
    if len(data) > max_bytes:
        raise SheetError(
            gettext_noop("The file has %(size).1f MB; the limit is %(limit).0f MB."),
            size=len(data) / 1048576,
            limit=max_bytes / 1048576,
        )
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(gettext_noop("This is an old Excel file (.xls): save it as XLSX or CSV."))
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(decode(data))
    try:
        return _table(rows, max_rows)
    finally:
        rows.close()  # a workbook left half read is closed now, not when collected


def _table(rows: Iterator[SheetRow], max_rows: int) -> Table:
    """The first non-empty row as the header, then the data rows: read one past the limit and
    no further, so a file of millions of tiny rows is refused before it fills the memory; and
    no further than twice as many lines, empty ones included (an empty line costs as much to
    read, and a sheet's row 2 can be followed by its row 1,000,000,000)."""
    filled = (r for r in _lines_up_to(rows, max_lines=2 * max_rows + 1000) if any(r.cells))
    header = next(filled, None)
    if header is None:
        raise SheetError(gettext_noop("The file has no rows."))
    data_rows = tuple(itertools.islice(filled, max_rows + 1))
    if not data_rows:
        raise SheetError(gettext_noop("The file has a header and no data rows."), line=header.line)
    if len(data_rows) > max_rows:
        raise SheetError(
            gettext_noop("The file has more than %(limit)s rows; the limit is %(limit)s."),
            line=data_rows[-1].line,
            limit=max_rows,
        )
    return Table(header=header.cells, rows=data_rows)


def _lines_up_to(rows: Iterator[SheetRow], *, max_lines: int) -> Iterator[SheetRow]:
    for row in rows:
        if row.line > max_lines:
            raise SheetError(
                gettext_noop(
                    "The file has more than %(lines)s lines, counting empty ones; the limit "
                    "is %(lines)s."
                ),
                line=row.line,
                lines=max_lines,
            )
        yield row


# -- text files --------------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """A BOM first, then strict UTF-8, then UTF-16 by its NULs, then the likeliest Cyrillic
    code page by how ordinary its letters look; never a free guess (which reads a short cp1251
    surname as Big5)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="strict"))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(utf16)
    if b"\x00" in data:
        raise SheetError(gettext_noop("The file is not text: it looks like binary data."))
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # Judged on a sample (the plausibility reads no further), decoded whole once: three whole
    # decodings of a 20 MB file would cost three times its memory.
    sample = data[:SAMPLE_BYTES]
    codepage = max(
        CYRILLIC_CODEPAGES, key=lambda cp: _plausibility(sample.decode(cp, errors="replace"))
    )
    return _checked(data.decode(codepage, errors="replace"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 shows as one byte value repeating at every other position: 0x00 for Latin text,
    0x04 for Cyrillic. Take the byte order whose decoding is clean and reads like words."""
    if len(data) % 2:
        return None
    sample = data[:4000]
    best: tuple[float, str] | None = None
    for encoding, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if not high or max(high.count(b) for b in (0, 4)) < len(high) * 0.3:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not CONTROL.search(text[:20000]) and (best is None or _plausibility(text) > best[0]):
            best = (_plausibility(text), text)
    return best[1] if best else None


def _plausibility(text: str) -> float:
    """How much a decoding reads like names and words: letters of the language, cased the way
    words are cased. The wrong code page gives box-drawing symbols and iNVERTED case."""
    words = re.findall(r"[^\s,;\t\"]+", text[:20000])
    if not words:
        return 0.0
    total = 0.0
    for word in words:
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) != len(word.strip(".-'’0123456789")):
            total -= 2  # symbols inside a word
        elif letters:
            cased = word.istitle() or word.islower() or word.isupper()
            common = sum(ch in COMMON_CYRILLIC for ch in letters) / len(letters)
            total += (1 if cased else -1) + common
    return total / len(words)


def _checked(text: str) -> str:
    if len(CONTROL.findall(text[:20000])) > 5:
        raise SheetError(
            gettext_noop("The file is not text: it holds control characters or binary data.")
        )
    nul = text.find("\x00")
    if nul >= 0:  # no database keeps a NUL in text: refuse it here, naming where it is
        raise SheetError(
            gettext_noop("A NUL character is in the text."), line=text.count("\n", 0, nul) + 1
        )
    return text


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings (LF, CRLF or a lone CR), one at a time, as
    ``io.StringIO(text, newline="")`` gives them, but without its copy of the whole text (four
    bytes a character): the lines past the row limit are never even cut out."""
    return (match.group() for match in LINE.finditer(text))


def _csv_rows(text: str) -> Generator[SheetRow]:
    delimiter = _delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for cells in reader:
            yield SheetRow(reader.line_num, tuple(c.strip() for c in cells[:MAX_COLUMNS]))
    except csv.Error as error:
        raise SheetError(
            gettext_noop("The file cannot be read as CSV: %(problem)s."),
            line=reader.line_num,
            problem=error,
        ) from error


def _delimiter(text: str) -> str:
    # The first lines with something on them, among the first thousand: never the whole text.
    filled = (line for line in itertools.islice(_lines(text), 1000) if line.strip())
    sample = list(itertools.islice(filled, 50))
    try:
        return csv.Sniffer().sniff("".join(sample), delimiters=DELIMITERS).delimiter
    except csv.Error:
        return max(DELIMITERS, key=sample[0].count if sample else "".count)


# -- XLSX --------------------------------------------------------------------------------------
def _xlsx_rows(data: bytes) -> Generator[SheetRow]:
    _refuse_unsafe_workbook(data)
    import openpyxl  # imported here: only XLSX uploads pay for it; defusedxml guards its parser

    unreadable = SheetError(gettext_noop("The file is not a readable XLSX workbook."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise unreadable from error
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.max_row and ws.max_row > 0), None)
        if sheet is None:
            raise SheetError(gettext_noop("The workbook has no sheet with data."))
        # Rows are read to the end of the sheet's XML, not to the size it declares: openpyxl
        # would stop there, and a list's rows past a wrong size would be lost without a word.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield SheetRow(number, tuple(_cell_text(v) for v in values[:MAX_COLUMNS]))
    except SheetError:
        raise
    except Exception as error:  # XML broken further down the sheet, read only now
        raise unreadable from error
    finally:
        workbook.close()


def _refuse_unsafe_workbook(data: bytes) -> None:
    """A zip bomb; or a sheet that does not say its size before its rows, which openpyxl would
    read through to its end while opening the workbook (seconds for a few MB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = max(sum(i.compress_size for i in infos), 1)
            if unpacked > MAX_UNZIPPED or unpacked / packed > MAX_ZIP_RATIO:
                raise SheetError(
                    gettext_noop(
                        "The workbook unpacks to far more than it weighs: refused as unsafe."
                    )
                )
            heads = [archive.open(i).read(SHEET_HEAD) for i in infos if i.filename.endswith(".xml")]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise SheetError(gettext_noop("The file is not a readable XLSX workbook.")) from error
    if any(_unsized_sheet(head) for head in heads):
        raise SheetError(
            gettext_noop(
                "A sheet of the workbook does not say how many rows it has, as Excel and "
                "LibreOffice write it: open the file in one of them and save it again, or save "
                "it as CSV."
            )
        )


def _unsized_sheet(head: bytes) -> bool:
    if not SHEET.search(head):
        return False
    first = SIZE_OR_ROWS.search(head)
    return first is None or first.group(1) != b"dimension"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
