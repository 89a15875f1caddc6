"""Value forms banks write (LEDGER.md "Values as banks write them"), read from real files.

Every expected value is written out by hand; money and rates are compared as Decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from stdnum.cn import uscc

from pipelines import ingest, store

LOANS_HEADER = "借据号,企业名称,统一社会信用代码,贷款银行,质押方式,担保公司,评估机构,{principal},{rate},发放日期,到期日期,评估价值"


def code(n: int) -> str:
    """A valid unified social credit code (check digit from python-stdnum)."""
    base = f"91360123{n:09d}"
    return base + uscc.calc_check_digit(base)


def loan_line(loan_id: str, n: int, principal: str, rate: str = "0.0345", disbursed: str = "2024-03-01",
              matures: str = "2025-02-28") -> str:
    return f'{loan_id},企业{n},{code(n)},安义农商行,直接质押,,评估所,"{principal}",{rate},{disbursed},{matures},2000000'


def write_loans(path, lines, principal_header="贷款金额", rate_header="年利率", encoding="utf-8"):
    header = LOANS_HEADER.format(principal=principal_header, rate=rate_header)
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def stored(db, sql, params=None):
    with store.read_connection(db) as con:
        return con.execute(sql, params or []).fetchall()


def test_money_forms(db_path, tmp_path):
    forms = {
        "L1": ("1234567.89", Decimal("1234567.89")),
        "L2": ("1,234,567.89", Decimal("1234567.89")),
        "L3": ("１，２３４．５０", Decimal("1234.50")),           # full-width digits, comma and point
        "L4": ("12.5万", Decimal("125000.00")),                   # 12.5 × 10,000
        "L5": ("0.6001万元", Decimal("6001.00")),                 # 0.6001 × 10,000 = 6001, exactly
        "L6": ("¥1,000.00", Decimal("1000.00")),
        "L7": ("1234.560", Decimal("1234.56")),                   # a trailing zero is still whole fen
        "L8": ("1000000", Decimal("1000000.00")),
    }
    lines = [loan_line(lid, i, raw) for i, (lid, (raw, _)) in enumerate(forms.items(), start=1)]
    # 1234.565 is not whole fen: rejected, no longer rounded half-up to 1234.57 (issue 11)
    lines.append(loan_line("L9", 9, "1234.565"))
    ingest.ingest_paths([write_loans(tmp_path / "loans.csv", lines)], db=db_path)
    got = dict(stored(db_path, "select loan_id, principal from loans"))
    assert got == {lid: want for lid, (_, want) in forms.items()}
    assert stored(db_path, "select row_number, column_name, raw_value from rejects") == [(10, "principal", "1234.565")]


@pytest.mark.parametrize("header", ["贷款金额(万元)", "贷款金额（万元）", "贷款金额/万元"])
def test_wan_header_multiplies_by_10000(db_path, tmp_path, header):
    lines = [loan_line("L1", 1, "0.6001"), loan_line("L2", 2, "150"), loan_line("L3", 3, "12.345678")]
    ingest.ingest_paths([write_loans(tmp_path / "loans.csv", lines, principal_header=header)], db=db_path)
    got = dict(stored(db_path, "select loan_id, principal from loans"))
    # 0.6001 万 = 6001.00; 150 万 = 1,500,000.00; 12.345678 万 = 123456.78 (exact, no rounding needed)
    assert got == {"L1": Decimal("6001.00"), "L2": Decimal("1500000.00"), "L3": Decimal("123456.78")}


def test_rate_forms(db_path, tmp_path):
    lines = [loan_line("L1", 1, "100", rate="0.0345"), loan_line("L2", 2, "100", rate="3.45%"),
             loan_line("L3", 3, "100", rate="３．４５％"), loan_line("L4", 4, "100", rate="3.456789%")]
    ingest.ingest_paths([write_loans(tmp_path / "loans.csv", lines)], db=db_path)
    got = dict(stored(db_path, "select loan_id, annual_rate from loans"))
    assert got == {"L1": Decimal("0.0345"), "L2": Decimal("0.0345"), "L3": Decimal("0.0345"),
                   "L4": Decimal("0.03456789")}


@pytest.mark.parametrize("header", ["年利率(%)", "执行年利率（%）"])
def test_rate_in_percent_header(db_path, tmp_path, header):
    lines = [loan_line("L1", 1, "100", rate="3.45"), loan_line("L2", 2, "100", rate="4")]
    ingest.ingest_paths([write_loans(tmp_path / "loans.csv", lines, rate_header=header)], db=db_path)
    got = dict(stored(db_path, "select loan_id, annual_rate from loans"))
    assert got == {"L1": Decimal("0.0345"), "L2": Decimal("0.04")}


def test_rate_above_one_without_percent_is_rejected_not_guessed(db_path, tmp_path):
    lines = [loan_line("L1", 1, "100", rate="3.45")]
    (res,) = ingest.ingest_paths([write_loans(tmp_path / "loans.csv", lines)], db=db_path)
    assert (res.rows_loaded, res.rows_rejected) == (0, 1)
    assert stored(db_path, "select column_name, raw_value from rejects") == [("annual_rate", "3.45")]


@pytest.mark.parametrize("raw", ["2024-03-01", "2024/3/1", "2024.3.1", "20240301", "2024年3月1日",
                                 "2024-3-1", "45352", "２０２４－０３－０１", "2024-03-01 00:00:00"])
def test_date_forms(db_path, tmp_path, raw):
    # Excel serial 45352: day 0 is 1899-12-30; 1899-12-30 + 45352 days = 2024-03-01
    path = write_loans(tmp_path / "loans.csv", [loan_line("L1", 1, "100", disbursed=raw)])
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert res.rows_loaded == 1, stored(db_path, "select * from rejects")
    assert stored(db_path, "select disbursed_on from loans") == [(dt.date(2024, 3, 1),)]


@pytest.mark.parametrize("raw", ["2024-02-30", "2023年2月29日", "20241301", "99-03-01", "soon"])
def test_impossible_dates_are_rejected(db_path, tmp_path, raw):
    path = write_loans(tmp_path / "loans.csv", [loan_line("L1", 1, "100", disbursed=raw)])
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert (res.rows_loaded, res.rows_rejected) == (0, 1)
    assert stored(db_path, "select column_name, raw_value from rejects") == [("disbursed_on", raw)]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings(db_path, tmp_path, encoding):
    path = write_loans(tmp_path / "loans.csv", [loan_line("L1", 1, "1,000.00")], encoding=encoding)
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert res.kind == "loans" and res.rows_loaded == 1
    assert stored(db_path, "select enterprise_name, bank, principal from loans") == [
        ("企业1", "安义农商行", Decimal("1000.00"))]


def test_unknown_columns_kept_as_json_extras(db_path, tmp_path):
    path = tmp_path / "repay.csv"
    loans = write_loans(tmp_path / "loans.csv", [loan_line("L1", 1, "100")])
    path.write_text("序号,借据号,还款日期,本金,利息,摘要\n1,L1,2024-04-01,0,2.88,正常还息\n", encoding="utf-8")
    ingest.ingest_paths([loans, path], db=db_path)
    assert stored(db_path, "select extras from repayments") == [('{"序号":"1","摘要":"正常还息"}',)]


def _workbook(path):
    """A bank-style workbook: a report title, a 单位：万元 line, then the header; plus a second
    sheet in yuan with real Excel number/date/percent cells, and an empty sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年"
    ws.append(["安义县知识产权质押贷款借据台账"])
    ws.append(["单位：万元"])
    ws.append(LOANS_HEADER.format(principal="贷款金额", rate="年利率").split(","))
    ws.append(["X1", "企业1", code(1), "安义农商行", "直接", None, "评估所", 0.6001, "3.45%",
               "2024-03-01", "2025-02-28", 200])
    ws.append(["X2", "企业2", code(2), "安义农商行", "间接质押", "担保公司甲", "评估所", "abc", 0.0345,
               "2024-03-01", "2025-02-28", 200])
    ws2 = wb.create_sheet("元")
    ws2.append(LOANS_HEADER.format(principal="贷款金额(元)", rate="年利率").split(","))
    ws2.append(["Y1", "企业3", code(3), "安义农商行", "直接", None, "评估所", 12345.67, 0.0345,
                dt.datetime(2024, 3, 1), 45716, 0.1 + 0.2])
    ws2["I2"].number_format = "0.00%"   # shown as 3.45%, holds 0.0345
    ws2.append(["Y2", "企业4", code(4), "安义农商行", "直接", None, "评估所", 1e16, 0.0345,
                dt.date(2024, 3, 1), "2025-02-28", 100])
    wb.create_sheet("空表")
    wb.save(path)
    return path


def test_xlsx_title_rows_wan_line_and_cells(db_path, tmp_path):
    results = ingest.ingest_paths([_workbook(tmp_path / "台账.xlsx")], db=db_path)
    by_sheet = {r.sheet: r for r in results}
    assert set(by_sheet) == {"2024年", "元"}                    # the empty sheet is skipped
    assert (by_sheet["2024年"].rows_read, by_sheet["2024年"].rows_loaded) == (2, 1)
    got = {r[0]: r[1:] for r in stored(db_path, "select loan_id, principal, appraised_value, annual_rate, "
                                                 "disbursed_on, matures_on from loans")}
    # 单位：万元 above the header: 0.6001 万 = 6001.00 and 200 万 = 2,000,000.00
    assert got["X1"] == (Decimal("6001.00"), Decimal("2000000.00"), Decimal("0.0345"),
                         dt.date(2024, 3, 1), dt.date(2025, 2, 28))
    # float cell 12345.67 stays 12345.67; 0.1 + 0.2 = 0.30000000000000004 is read to Excel's 15
    # significant digits, 0.300000000000000 = 0.30 exactly (no rounding of the fen);
    # a percent-formatted 0.0345 is 3.45% = 0.0345; serial 45716 = 1899-12-30 + 45716 = 2025-02-28
    assert got["Y1"] == (Decimal("12345.67"), Decimal("0.30"), Decimal("0.0345"),
                         dt.date(2024, 3, 1), dt.date(2025, 2, 28))
    assert "Y2" not in got                                        # 1e16 does not fit DECIMAL(18,2)
    rejects = stored(db_path, "select sheet, row_number, column_name, raw_value from rejects order by 1, 2")
    # X2 is the 5th row of its sheet (title, unit line, header, X1, X2); Y2 the 3rd of sheet 元
    assert rejects == [("2024年", 5, "principal", "abc"), ("元", 3, "principal", "10000000000000000")]


def test_preview_converts_without_writing(db_path, tmp_path):
    path = write_loans(tmp_path / "loans.csv", [loan_line("L1", 1, "12.5万"), loan_line("L2", 2, "-1")])
    (pv,) = ingest.preview(path, db=db_path)
    assert (pv.kind, pv.sheet, pv.rows_read, pv.refused) == ("loans", None, 2, None)
    assert list(pv.good["loan_id"]) == ["L1"] and list(pv.good["action"]) == ["new"]
    assert pv.good["principal"].iloc[0] == 125000.0              # .df() gives floats: display only
    assert pv.rejects[["row_number", "column_name", "raw_value"]].values.tolist() == [[3, "principal", "-1"]]
    assert stored(db_path, "select count(*) from loans") == [(0,)]
    assert stored(db_path, "select count(*) from ingest_batches") == [(0,)]


def test_docs_list_every_column_alias_and_enum_spelling():
    from pathlib import Path

    from pipelines import columns

    text = (Path(__file__).resolve().parent.parent / "docs" / "LEDGERS.md").read_text(encoding="utf-8")
    for kind, cols in columns.KINDS.items():
        assert f"### {kind}" in text
        for col in cols:
            assert f"`{col.name}`" in text
            missing = [a for a in (*col.aliases, *col.fallbacks) if a not in text]
            assert not missing, (kind, col.name, missing)
    for values in columns.ENUMS.values():
        for value, spellings in values.items():
            assert f"`{value}`" in text and all(s in text for s in spellings)


def test_preview_of_a_workbook_sees_its_own_loans_sheet(db_path, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "借据"
    wb.active.append(LOANS_HEADER.format(principal="贷款金额", rate="年利率").split(","))
    wb.active.append(loan_line("L1", 1, "100").replace('"', "").split(","))
    repay = wb.create_sheet("流水")
    repay.append(["借据号", "还款日期", "本金", "利息"])
    repay.append(["L1", "2024-04-01", 0, 1])
    repay.append(["L2", "2024-04-01", 0, 1])
    wb.save(tmp_path / "book.xlsx")
    loans, repayments = ingest.preview(tmp_path / "book.xlsx", db=db_path)
    assert (loans.kind, len(loans.good)) == ("loans", 1)
    assert list(repayments.good["loan_id"]) == ["L1"]             # L1 comes from the loans sheet
    assert repayments.rejects[["row_number", "raw_value"]].values.tolist() == [[3, "L2"]]
    assert stored(db_path, "select count(*) from loans") == [(0,)]
