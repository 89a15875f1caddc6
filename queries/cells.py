"""Cell text for the files we write (CSV, XLSX): data is never a formula (OWASP CSV injection).

A spreadsheet (Excel, WPS) runs a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so a text cell starting with one gets a leading apostrophe, which
Excel shows as nothing and keeps as text (OWASP's guidance). Numbers are written as numbers and left
alone: only text from the ledgers (names, ids, banks) can carry a formula. In XLSX a text cell is
written as a string cell (``xlsx_text`` + ``as_text``), never as a formula, so it needs no prefix and
ids and credit codes stay exactly as loaded; characters XML cannot hold become U+FFFD there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# the C0 controls XML 1.0 cannot hold (openpyxl refuses them: IllegalCharacterError)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_text(text: str) -> str:
    """``text`` for a CSV cell: an apostrophe before a leading formula character."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def xlsx_text(text: str) -> str:
    """``text`` for an XLSX string cell: characters XML cannot hold replaced by U+FFFD."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def as_text(ws) -> None:
    """Mark every string cell of worksheet ``ws`` as a string cell: openpyxl would otherwise write a
    value starting with ``=`` as a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = xlsx_text(cell.value)
                cell.data_type = "s"


def csv_cell(value, number: Callable[[object], str]) -> str:
    """``value`` as CSV cell text: empty for None, true / false, ISO dates, numbers (int, float,
    Decimal) through ``number`` (each writer has its own rounding), text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    return csv_text(str(value))  # text from the ledgers: never a formula in a spreadsheet
