"""Download files for the tables the report CLI does not write (overdue list, monthly filing
summary, an ingest batch's rejects): CSV in UTF-8 with BOM, XLSX with styled bilingual headers,
amounts in 万元, frozen header rows and sensible widths.

The report's own sections are written by queries.report.write_csv / write_xlsx (same content as
the CLI); this module only follows the same conventions for the extra tables. Headers and formats
come from the one label table, queries.labels.COLUMNS, as on screen and in the report.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from queries import cells, labels

WAN = Decimal(10000)

# The monthly project filing (项目备案汇总, seed 004 九(二)) and the overdue list, in output order.
FILING_COLUMNS = ("enterprise_name", "credit_code", "bank", "loan_id", "principal", "annual_rate", "disbursed_on",
                  "matures_on", "pledge_mode", "appraiser", "appraised_value", "fair_value", "appraisal_fee",
                  "guarantor", "guarantee_fee", "ip_count", "ip_numbers")
OVERDUE_COLUMNS = ("loan_id", "enterprise_name", "credit_code", "bank", "guarantor", "outstanding", "dpd",
                   "bucket", "risk_class", "oldest_unpaid_due", "alert_since", "claim_status", "deadline",
                   "days_left")
OVERDUE_CODES = {"bucket": "bucket", "risk_class": "risk_class", "claim_status": "claim_status", "guarantor": "guarantor"}


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (Decimal, str)):
        return value.item()
    return value


def _text(value) -> str:
    return cells.csv_cell(_clean(value), lambda v: format(v, "f") if isinstance(v, Decimal) else str(v))


def csv_bytes(frame: pd.DataFrame, columns) -> bytes:
    """UTF-8-with-BOM CSV; header "中文 (key)" as the report CLI writes; values exact (yuan)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f"{labels.label(c, 'zh')} ({c})" for c in columns])
    for row in frame[list(columns)].itertuples(index=False):
        writer.writerow([_text(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, tuple[pd.DataFrame, tuple]]) -> bytes:
    """One sheet per entry: Chinese header row, English header row (frozen, bold, filled); money
    columns in 万元 (exact value / 10,000, shown '#,##0.00'), ratios as percent, dates as dates."""
    from openpyxl import Workbook

    from queries import xlsx_style

    wb = Workbook()
    wb.remove(wb.active)
    for name, (frame, columns) in sheets.items():
        kinds = [labels.kind(c) for c in columns]
        unit = {labels.MONEY: ("（万元）", " (10k CNY)")}
        ws = xlsx_style.header_sheet(
            wb, name[:31],
            [labels.label(c, "zh") + unit.get(k, ("", ""))[0] for c, k in zip(columns, kinds, strict=True)],
            [labels.label(c, "en") + unit.get(k, ("", ""))[1] for c, k in zip(columns, kinds, strict=True)],
            fill="DCE6F1")
        for row in frame[list(columns)].itertuples(index=False):
            values = []
            for v, k in zip(row, kinds, strict=True):
                v = _clean(v)
                if k == labels.MONEY and v is not None:
                    v = Decimal(str(v)) / WAN  # exact: yuan have two decimals, 万元 six
                values.append(v)
            ws.append(values)
        for i, k in enumerate(kinds, start=1):
            fmt = {labels.MONEY: xlsx_style.MONEY_FORMAT, labels.RATIO: "0.00%", labels.DATE: xlsx_style.DATE_FORMAT,
                   labels.INT: "#,##0"}.get(k)
            if fmt:
                for r in range(3, ws.max_row + 1):
                    ws.cell(row=r, column=i).number_format = fmt
            texts = [str(ws.cell(row=r, column=i).value or "") for r in range(1, min(ws.max_row, 200) + 1)]
            xlsx_style.fit_width(ws, i, texts, 10, 48)
        cells.as_text(ws)  # text from the ledgers: string cells, never formulas
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- "export this view" (issue 12 item 5): the table as shown, as a file ----------------------------

# Identifiers stored as text: in XLSX a string cell; in CSV, one Excel would read as a number or a date
# (an all-digit credit code such as 913601231673118989 becomes 9.13601E+17) gets the leading
# apostrophe — the same text marker cells.csv_text puts before a formula character, so the CSV still
# holds no formula (a ="…" cell would be one) and never starts with a tab (which some spreadsheets
# strip and then evaluate).
ID_COLUMNS = frozenset({"loan_id", "credit_code", "ip_number", "ip_numbers", "txn_id", "loan_ids", "renewed_from",
                        "item"})
_NUMBER_LIKE = re.compile(r"[0-9][0-9.,:/eE+\-]*")


@dataclass(frozen=True)
class View:
    """One table as the screen shows it: the filtered rows (exact values, codes), the columns in
    screen order, the coded columns (column -> value dimension) and header overrides."""

    frame: pd.DataFrame
    columns: tuple
    codes: dict
    label_as: dict
    lang: str
    texts: dict  # column -> {value: shown text} for columns the page words itself (e.g. booleans)
    unit: str = "wan"  # money in 万元 ("wan") or 元 ("yuan"), as on screen


def _view_value(view: View, col: str, value):
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, (str, Decimal)):
        value = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)  # a list cell (a ban's loans) as one text
    value = _clean(value)
    if col in view.texts:
        return view.texts[col].get(value, "" if value is None else str(value))
    if col in view.codes:
        return labels.value_label(view.codes[col], value, view.lang)
    k = labels.kind(col)
    if value is None:
        return None
    if k == labels.MONEY:
        d = Decimal(str(value))
        return d / WAN if view.unit == "wan" else d  # as on screen; exact (yuan have two decimals)
    if k == labels.RATIO:
        return Decimal(str(value)) * 100  # percent, as on screen
    if k == labels.BOOL:
        return ("是" if value else "否") if view.lang == "zh" else ("Yes" if value else "No")
    return value


def view_headers(view: View) -> list[str]:
    """Headers in the view's language with the unit: '贷款余额（万元）', 'Annual rate (%)'."""
    return [labels.label(view.label_as.get(c, c), view.lang) if c in view.texts or c in view.codes
            else labels.header(c, view.lang, "wan" if view.unit == "wan" else "yuan_pct", view.label_as.get(c))
            for c in view.columns]


def view_rows(view: View) -> list[list]:
    """The rows as the files hold them: money in 万元, rates in percent, codes as labels."""
    frame = view.frame[list(view.columns)]
    return [[_view_value(view, c, v) for c, v in zip(view.columns, row, strict=True)]
            for row in frame.itertuples(index=False)]


def _number(v) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v != v.to_integral() else format(v.quantize(Decimal(1)), "f")
    return str(v)


def view_csv(view: View) -> bytes:
    """The view as UTF-8-with-BOM CSV (Excel reads the BOM as UTF-8): one header row in the view's
    language with units, text never a formula, number-like identifiers kept as text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(view_headers(view))
    for row in view_rows(view):
        out = []
        for c, v in zip(view.columns, row, strict=True):
            text = cells.csv_cell(v, _number)
            if c in ID_COLUMNS and isinstance(v, str) and _NUMBER_LIKE.fullmatch(v):
                text = "'" + text
            out.append(text)
        writer.writerow(out)
    return buf.getvalue().encode("utf-8-sig")


def view_xlsx(view: View, sheet: str) -> bytes:
    """The view as XLSX: a frozen header row in the view's language with units; money '#,##0.00' in
    万元, rates '0.00' in percent, dates as dates, identifiers and every other text as string cells."""
    from openpyxl import Workbook

    from queries import xlsx_style

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    heads = view_headers(view)
    ws.append(heads)
    for row in view_rows(view):
        ws.append(row)
    ws.freeze_panes = "A2"
    fmts = {labels.MONEY: xlsx_style.MONEY_FORMAT, labels.RATIO: "0.00", labels.DATE: xlsx_style.DATE_FORMAT,
            labels.INT: "#,##0"}
    for i, c in enumerate(view.columns, start=1):
        number_format = None if c in view.codes or c in view.texts else fmts.get(labels.kind(c))
        if number_format:
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=i).number_format = number_format
        texts = [str(ws.cell(row=r, column=i).value or "") for r in range(1, min(ws.max_row, 200) + 1)]
        xlsx_style.fit_width(ws, i, texts, 10, 48)
    cells.as_text(ws)  # every text a string cell: ids and credit codes exactly as loaded, never formulas
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
