"""A delivery loads as one unit (issue 11, items 8 and 12): sheets in dependency order across files,
whatever the files are called; all or nothing, also under kill -9; stale derived tables are rebuilt
by the next run even when every file was loaded before."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from test_ingest_rows import LOANS, loan, patent, write

from pipelines import ingest, store
from queries import derived

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("loans", "collateral", "schedule", "repayments", "events", "decisions", "subsidies", "rejects",
          "ingest_batches")


def _workbook(path: Path) -> Path:
    """Sheets 借据台账 (loan L1), 质押物清单 and 还款流水 for loan L2, which only the other file has."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "借据台账"
    ws.append(LOANS.split(","))
    ws.append(loan("L1", 1).split(","))
    ws = wb.create_sheet("质押物清单")
    ws.append(["借据号", "质押物类型", "专利号", "有效期至", "评估价值"])
    ws.append(["L2", "发明专利", patent(2020, 1, 1234), "2040-01-01", "2000000"])
    ws = wb.create_sheet("还款流水")
    ws.append(["借据号", "还款日期", "实还本金", "实还利息", "交易流水号"])
    ws.append(["L2", "2024-04-01", "0", "2875.00", "T1"])
    wb.save(path)
    return path


@pytest.mark.parametrize(("workbook", "loans"), [("A_workbook.xlsx", "B_loans.csv"),
                                                  ("B_workbook.xlsx", "A_loans.csv")])
def test_a_delivery_loads_sheet_by_sheet_in_dependency_order(db_path, tmp_path, workbook, loans):
    folder = tmp_path / "delivery"
    folder.mkdir()
    _workbook(folder / workbook)
    write(folder / loans, LOANS, [loan("L2", 2)])
    results = ingest.ingest_paths([folder], db=db_path)
    assert sorted((r.kind, r.rows_loaded, r.rows_rejected) for r in results) == [
        ("collateral", 1, 0), ("loans", 1, 0), ("loans", 1, 0), ("repayments", 1, 0)]
    with store.read_connection(db_path) as con:
        assert con.execute("select count(*) from rejects").fetchall() == [(0,)]
        assert con.execute("select loan_id, interest_paid from repayments").fetchall()[0][0] == "L2"


def test_a_refused_file_leaves_the_rest_of_the_delivery_loaded(db_path, tmp_path):
    folder = tmp_path / "delivery"
    folder.mkdir()
    write(folder / "loans.csv", LOANS, [loan("L1", 1)])
    (folder / "ragged.csv").write_text("借据号,还款日期,实还本金,实还利息\nL1,2024-04-01,0\n\"a,b", encoding="utf-8")
    results = ingest.ingest_paths([folder], db=db_path)
    assert sorted(r.outcome for r in results) == ["loaded", "refused"]
    with store.read_connection(db_path) as con:
        assert con.execute("select loan_id from loans").fetchall() == [("L1",)]


def _digest(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        # batch ids and load times differ from run to run; everything loaded must not
        parts = [repr(con.execute(f"select * exclude (batch_id) from {t} order by all").fetchall())
                 for t in TABLES[:-1]]  # t: fixed whitelist
        parts.append(repr(con.execute("select file_name, sheet, sha256, kind, rows_read, rows_loaded, "
                                      "rows_unchanged, rows_rejected from ingest_batches order by all").fetchall()))
    finally:
        con.close()
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _delivery(folder: Path, n: int = 400) -> Path:
    folder.mkdir()
    write(folder / "01_loans.csv", LOANS, [loan(f"K{i}", i) for i in range(n)])
    write(folder / "02_repayments.csv", "借据号,还款日期,实还本金,实还利息,交易流水号",
          [f"K{i},2024-0{m}-01,0,2875.00,T{i}-{m}" for i in range(n) for m in range(4, 10)])
    write(folder / "03_events.csv", "借据号,日期,事件类型,金额,当事方",
          [f"K{i},2024-09-01,代偿通知,," for i in range(0, n, 7)])
    return folder


def test_kill_at_random_points_leaves_the_database_before_or_after(tmp_path):
    """The 28-kill experiment at small scale: kill -9 the CLI at random moments of a 3-file delivery;
    the database is then either as before the delivery or as after it, as a whole, and a rerun
    completes it to exactly the after state, its derived tables current."""
    folder = _delivery(tmp_path / "delivery")
    empty = tmp_path / "empty.duckdb"
    with store.write_connection(empty):
        pass
    full = tmp_path / "full.duckdb"
    full.write_bytes(empty.read_bytes())
    cmd = [sys.executable, "-m", "pipelines.ingest", "--db"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    subprocess.run([*cmd, str(full), str(folder)], cwd=ROOT, env=env, check=True, capture_output=True)
    took = time.monotonic() - start
    before, after = _digest(empty), _digest(full)
    assert before != after
    rng = random.Random(11)
    seen = set()
    for k in range(8):
        db = tmp_path / f"kill{k}.duckdb"
        db.write_bytes(empty.read_bytes())
        proc = subprocess.Popen([*cmd, str(db), str(folder)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, took))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _digest(db)
        assert state in (before, after), f"kill {k}: a half-loaded delivery"
        seen.add("after" if state == after else "before")
        subprocess.run([*cmd, str(db), str(folder)], cwd=ROOT, env=env, check=True, capture_output=True)
        assert _digest(db) == after
        with store.read_connection(db) as con:
            assert derived.current(con, {"interest_day": 0, "amount_tolerance": "0.01"}) is not None
    assert "before" in seen  # some kills landed before the commit


def test_stale_derived_tables_are_rebuilt_by_a_rerun_of_loaded_files(db_path, tmp_path):
    folder = _delivery(tmp_path / "delivery", n=20)
    ingest.ingest_paths([folder], db=db_path, after_load=derived.AFTER_LOAD)
    with store.write_connection(db_path) as con:  # as a kill during the rebuild leaves them
        con.execute("update derived_meta set stamp = 'killed mid-rebuild'")
    results = ingest.ingest_paths([folder], db=db_path, after_load=derived.AFTER_LOAD)
    assert {r.outcome for r in results} == {"skipped"}
    with store.read_connection(db_path) as con:
        assert derived.current(con, {"interest_day": 0, "amount_tolerance": "0.01"}) is not None


def _two_loans_sheets(path: Path, second_principal: str) -> Path:
    """Sheet 借据台账 gives L1 and L2; sheet 补充借据 gives L1 again (principal second_principal) and L3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "借据台账"
    ws.append(LOANS.split(","))
    ws.append(loan("L1", 1).split(","))
    ws.append(loan("L2", 2).split(","))
    ws = wb.create_sheet("补充借据")
    ws.append(LOANS.split(","))
    ws.append(loan("L3", 3).split(","))
    ws.append(loan("L1", 1, principal=second_principal).split(","))
    wb.save(path)
    return path


@pytest.mark.parametrize("second_principal", ["1000000", "5000000"])  # the same row again, a changed one
def test_the_same_key_on_two_sheets_of_a_workbook_is_rejected_not_replaced(db_path, tmp_path, second_principal):
    """Issue 11 item 9: the second sheet's L1 used to replace the first silently (into history); in one
    delivery it is a conflict: the first occurrence loads, the second is rejected naming where the
    first stands."""
    book = _two_loans_sheets(tmp_path / "book.xlsx", second_principal)
    results = ingest.ingest_paths([book], db=db_path)
    assert [(r.sheet, r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("借据台账", 2, 2, 0), ("补充借据", 2, 1, 1)]
    with store.read_connection(db_path) as con:
        assert con.execute("select loan_id, principal from loans order by 1").fetchall() == [
            ("L1", Decimal("1000000.00")), ("L2", Decimal("1000000.00")), ("L3", Decimal("1000000.00"))]
        assert con.execute("select count(*) from loans_history").fetchall() == [(0,)]
        assert con.execute("select file_name, sheet, row_number, column_name, raw_value, reason_zh, reason_en "
                           "from rejects").fetchall() == [(
            "book.xlsx", "补充借据", 3, "loan_id", "L1",
            "与同一批报送中先出现的行主键重复（book.xlsx [借据台账] 第 2 行 / row 2），已载入第一次出现的行，本行未载入",
            "duplicate key of an earlier row of the same delivery (book.xlsx [借据台账] 第 2 行 / row 2); "
            "the first occurrence was loaded, this row was not")]
    # the preview of the workbook says the same before anything is written
    sheets = ingest.preview(book, db=tmp_path / "none.duckdb")
    assert [list(p.rejects["row_number"]) for p in sheets] == [[], [3]]
    assert list(sheets[1].good["loan_id"]) == ["L3"]


def test_a_key_given_by_a_csv_and_a_workbook_of_one_folder_is_rejected_once(db_path, tmp_path):
    """Across the files of one delivery too; a key part that is empty (an event without party)
    matches an empty one, and a later delivery still corrects a stored row (LEDGER.md)."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    write(folder / "a_loans.csv", LOANS, [loan("L1", 1, mode="间接质押", guarantor="担保甲")])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "风险事件"
    ws.append(["借据号", "日期", "事件类型", "承担方", "金额"])
    ws.append(["L1", "2024-06-01", "代偿通知", None, None])
    ws = wb.create_sheet("借据")
    ws.append(LOANS.split(","))
    ws.append(loan("L1", 1, mode="间接质押", guarantor="担保乙").split(","))
    wb.save(folder / "b_book.xlsx")
    write(folder / "c_events.csv", "借据号,日期,事件类型,承担方,金额", ["L1,2024/6/1,代偿通知书,,"])
    results = ingest.ingest_paths([folder], db=db_path)
    assert sorted((r.file_name, r.kind, r.rows_loaded, r.rows_rejected) for r in results) == [
        ("a_loans.csv", "loans", 1, 0), ("b_book.xlsx", "events", 1, 0), ("b_book.xlsx", "loans", 0, 1),
        ("c_events.csv", "events", 0, 1)]
    with store.read_connection(db_path) as con:
        assert con.execute("select guarantor from loans").fetchall() == [("担保甲",)]
        assert con.execute("select file_name, row_number, raw_value, reason_en from rejects order by 1").fetchall() == [
            ("b_book.xlsx", 2, "L1", "duplicate key of an earlier row of the same delivery (a_loans.csv 第 2 行 / "
             "row 2); the first occurrence was loaded, this row was not"),
            ("c_events.csv", 2, "L1 / 2024-06-01 / compensation_notice",
             "duplicate key of an earlier row of the same delivery (b_book.xlsx [风险事件] 第 2 行 / row 2); the "
             "first occurrence was loaded, this row was not")]
    write(tmp_path / "fix.csv", LOANS, [loan("L1", 1, mode="间接质押", guarantor="担保乙")])
    (fix,) = ingest.ingest_paths([tmp_path / "fix.csv"], db=db_path)
    assert (fix.rows_loaded, fix.rows_rejected) == (1, 0)
    with store.read_connection(db_path) as con:
        assert con.execute("select guarantor from loans").fetchall() == [("担保乙",)]
        assert con.execute("select guarantor from loans_history").fetchall() == [("担保甲",)]
