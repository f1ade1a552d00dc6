"""What a spreadsheet would take for a formula in a CSV file, whichever separator it cuts at."""

from __future__ import annotations

import csv
import io
import re

FORMULA = ("=", "+", "-", "@")
NUMBER = re.compile(r"-?\d+(\.\d+)?$")  # -1.23 is a number to a spreadsheet, not a formula
SEPARATORS = (",", ";", "\t")  # the list separators of English, Ukrainian and German locales


def formula_cells(text: str) -> list[str]:
    """The cells that begin with a formula character (past the spaces, tabs, line ends and
    quotes a reader may trim) and are not plain numbers, for a reader cutting at each separator,
    one that honours quotes and one that ignores them."""
    found = []
    for delimiter in SEPARATORS:
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
            for row in reader:
                for cell in row:
                    start = cell.lstrip(' \t\r\n"')
                    if start.startswith(FORMULA) and not NUMBER.match(start):
                        found.append(cell)
    return found
