"""Every file the dashboard and the report CLI write, read back (issue 12 item 5):

- the dashboard's "export this view" files (CSV and XLSX) of every table on every page, in Chinese
  and English: no English code in a Chinese file, every money header names its unit, the same unit
  in CSV and XLSX, credit codes intact as 18-character text (XLSX: a string cell; CSV: read back as
  a string, the apostrophe text marker before a number-like code being what Excel drops);
- the report CLI's CSV files and workbook (queries.report, fixed by LEDGER.md: codes stay codes
  there): money headers name the unit (元) and credit codes are intact 18-character text.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
import streamlit as st

from dashboard import exports
from pipelines import store
from queries import labels, report

PAGES = ("views/overview.py", "views/overdue.py", "views/outlook.py", "views/loan.py", "views/collateral.py",
         "views/compensation.py", "views/compliance.py", "views/subsidies.py", "views/reports.py",
         "views/data_import.py")
# English codes that must never reach a Chinese file (the coded values of queries.labels.VALUES)
CODES = {k for table in labels.VALUES.values() for k in table if isinstance(k, str) and k.isascii()}


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _views(app, lang: str, loan_ids) -> dict[str, exports.View]:
    """Every view the app registers for export, page by page (several loans on the loan page)."""
    app.run()
    app.sidebar.radio(key="lang").set_value(lang).run()
    found = {}
    for page in PAGES:
        loans = loan_ids if page == "views/loan.py" else [None]
        for loan in loans:
            if loan:
                app.query_params["loan"] = loan
            if page == "views/reports.py":  # a month whose filing has an all-digit credit code
                app.query_params.update(basis="month", month="2025-09")
            app.switch_page(page).run()
            assert not app.exception, (page, [e.message for e in app.exception])
            if "pw_exports" in app.session_state:
                found.update(app.session_state["pw_exports"])
    return found


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _unmarked(text: str) -> str:
    return text[1:] if text.startswith("'") else text


@pytest.fixture(scope="module")
def loans_to_view(demo_db):
    with store.read_connection(demo_db) as con:
        rows = con.execute(
            "select loan_id from loans where loan_id = 'JX2023071501' or enterprise_name like '%正邦%' "
            "or regexp_full_match(credit_code, '[0-9]{18}') order by loan_id limit 4").fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_view_export_is_what_the_screen_shows(app, demo_db, loans_to_view, lang):
    views = _views(app, lang, loans_to_view)
    assert {"overdue", "claims", "loss_sharing", "bans", "ip_risk", "fee_calendar", "filing_2025-09",
            "compliance_rules", "sub_year", "ingest_batches", "outlook_wall"} <= set(views), sorted(views)
    digit_codes = 0
    for name, view in views.items():
        rows = _csv_rows(exports.view_csv(view))
        wb = openpyxl.load_workbook(io.BytesIO(exports.view_xlsx(view, name)))
        ws = wb.active
        heads = rows[0]
        assert heads == [c.value for c in ws[1]], name  # the same headers in both files
        assert len(rows) - 1 == len(view.frame) == ws.max_row - 1, name  # exactly the rows on screen
        for i, col in enumerate(view.columns):
            money = labels.kind(col) == labels.MONEY and col not in view.texts and col not in view.codes
            if money:
                unit = {"zh": ("（万元）", "（元）"), "en": ("(10k CNY)", "(CNY)")}[lang]
                assert heads[i].endswith(unit), (name, heads[i])
                # the same unit in CSV and XLSX: the CSV's number equals the XLSX cell
                for r, row in enumerate(rows[1:], start=2):
                    xl = ws.cell(row=r, column=i + 1).value
                    assert (row[i] == "" and xl is None) or Decimal(row[i]) == Decimal(str(xl)), (name, col)
            if col == "credit_code":
                for r, row in enumerate(rows[1:], start=2):
                    code = view.frame[col].iloc[r - 2]
                    cell = ws.cell(row=r, column=i + 1)
                    assert cell.data_type == "s" and cell.value == code and len(code) == 18, (name, code)
                    assert _unmarked(row[i]) == code, (name, row[i])
                    digit_codes += code.isdigit()
        if lang == "zh":
            for row in rows[1:]:
                leaked = [v for v in row if v in CODES]
                assert not leaked, (name, leaked)
    assert digit_codes > 0  # the demo's all-digit credit codes were among the files checked


def test_an_all_digit_credit_code_stays_text_in_csv(demo_db):
    import pandas as pd

    frame = pd.DataFrame({"credit_code": ["913601231673118989", "91360123MA35H18C1A"],
                          "outstanding": [Decimal("12345.67"), None]})
    view = exports.View(frame, ("credit_code", "outstanding"), {}, {}, "zh", {})
    rows = _csv_rows(exports.view_csv(view))
    assert rows == [["统一社会信用代码", "贷款余额（万元）"], ["'913601231673118989", "1.234567"],
                    ["91360123MA35H18C1A", ""]]


def test_report_cli_files_name_units_and_keep_credit_codes(demo_db, prof, as_of, tmp_path):
    with store.read_connection(demo_db) as con:
        rep = report.build_report(con, as_of, prof)
    files = report.write_csv(rep, tmp_path / "csv")
    report.write_xlsx(rep, tmp_path / "r.xlsx")
    codes = sorted({r["credit_code"] for r in rep["subsidies"]})
    assert any(c.isdigit() for c in codes)
    for path in files:
        rows = _csv_rows(path.read_bytes())
        section = path.stem
        if section in report.VERTICAL:
            continue
        for head, key in zip(rows[0], labels.SECTIONS[section], strict=True):
            assert head.endswith(f" ({key})")  # the key, fixed by LEDGER.md, stays findable
            if labels.kind(key) == labels.MONEY:
                assert "（元）" in head, head
        if section == "subsidies":
            i = rows[0].index("统一社会信用代码 (credit_code)")
            assert sorted({r[i] for r in rows[1:]}) == codes and all(len(c) == 18 for c in codes)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = wb["subsidies"]
    col = [c.value for c in ws[1]].index("统一社会信用代码") + 1
    cells = [ws.cell(row=r, column=col) for r in range(3, ws.max_row + 1)]
    assert all(c.data_type == "s" for c in cells) and sorted({c.value for c in cells}) == codes
    money = [c.value for c in ws[1] if c.value and "（元）" in c.value]
    assert money  # the amount column names its unit
