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
