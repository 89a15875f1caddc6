"""The look every PledgeWatch workbook shares (the report's sections and the dashboard's extra
downloads): a Chinese header row over an English one, bold, wrapped and frozen; money '#,##0.00'
and dates as dates; column widths from the text they hold, counting CJK characters double.

openpyxl is imported here, so callers import this module lazily (only when writing a workbook).
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def header_sheet(wb, name: str, zh: list[str], en: list[str], fill: str | None = None):
    """A new sheet ``name`` with the Chinese (row 1) and English (row 2) header rows, bold, wrapped,
    optionally filled with colour ``fill`` (RGB hex), frozen below row 2. Data rows follow from row 3."""
    ws = wb.create_sheet(name)
    ws.append(zh)
    ws.append(en)
    bold = Font(bold=True)
    fill_pattern = PatternFill("solid", fgColor=fill) if fill else None
    for cell in (*ws[1], *ws[2]):
        cell.font = bold
        if fill_pattern is not None:
            cell.fill = fill_pattern
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    return ws


def display_width(text) -> int:
    """Width of ``text`` in Latin characters: CJK and other wide characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def fit_width(ws, column: int, texts: Iterable, low: int, high: int) -> None:
    """Set 1-based ``column``'s width to its widest text plus 2, kept within [low, high]."""
    width = max((display_width(t) for t in texts), default=0)
    ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, low), high)
