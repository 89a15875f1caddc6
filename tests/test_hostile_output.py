"""Hostile values and arguments at the report's end (issue 11, items 2 and 6): text from the ledgers
never becomes a formula in the report's CSV or XLSX (OWASP CSV injection), and every bad argument
of ``python -m queries.report`` ends in a bilingual message and an exit code, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from obligation_fixtures import add_loan

from pipelines import profile, store
from queries import cells, report

ROOT = Path(__file__).resolve().parent.parent
ANYI = profile.load("anyi")
FORMULA_BANK = '=HYPERLINK("http://example.invalid/x","y")'


@pytest.fixture
def hostile_db(db_path):
    with store.write_connection(db_path) as con:
        add_loan(con, "@L1", bank=FORMULA_BANK, disbursed_on="2024-03-01", matures_on="2025-02-28")
        add_loan(con, "L2", bank="+cmd|' /C calc'!A0", disbursed_on="2024-03-01", matures_on="2025-02-28")
        add_loan(con, "L3", bank="-2+3", disbursed_on="2024-03-01", matures_on="2025-02-28")
    return db_path


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("正邦科技", "正邦科技"), ("JX2023071501", "JX2023071501"),
    ("913601231673118989", "913601231673118989"), ("a=b", "a=b"),
])
def test_csv_text_neutralises_only_a_leading_formula_character(text, written):
    assert cells.csv_text(text) == written


def test_report_csv_writes_ledger_text_as_text(hostile_db, tmp_path):
    with store.read_connection(hostile_db) as con:
        rep = report.build_report(con, "2024-06-30", ANYI)
    report.write_csv(rep, tmp_path / "out")
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "loans.csv").read_text(encoding="utf-8-sig"))))
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["'@L1"][1] == "'" + FORMULA_BANK
    assert by_id["L2"][1] == "'+cmd|' /C calc'!A0"
    assert by_id["L3"][1] == "'-2+3"
    assert by_id["L3"][2] == "1000000.00"  # numbers stay numbers


def test_report_xlsx_writes_ledger_text_as_string_cells(hostile_db, tmp_path):
    with store.read_connection(hostile_db) as con:
        rep = report.build_report(con, "2024-06-30", ANYI)
    path = tmp_path / "r.xlsx"
    report.write_xlsx(rep, path)
    ws = openpyxl.load_workbook(path)["loans"]
    cells_by_id = {row[0].value: row for row in ws.iter_rows(min_row=3)}
    bank = cells_by_id["@L1"][1]
    assert (bank.value, bank.data_type) == (FORMULA_BANK, "s")  # kept as loaded, but not a formula
    assert cells_by_id["@L1"][0].data_type == "s"
    assert "<f>" not in _sheet_xml(path)


def _sheet_xml(path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_xlsx_text_replaces_what_xml_cannot_hold():
    assert cells.xlsx_text("银行\x0b一\x00") == "银行\ufffd一\ufffd"


def _report(args, **env):
    return subprocess.run([sys.executable, "-m", "queries.report", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **env})


@pytest.mark.parametrize("as_of", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_an_as_of_outside_the_ledgers_range_is_refused(hostile_db, as_of):
    res = _report(["--db", str(hostile_db), "--as-of", as_of])
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "统计日期须在 1990-01-01 至 2100-12-31 之间" in res.stderr and "must lie from 1990-01-01" in res.stderr


def test_a_missing_profile_is_refused(hostile_db):
    res = _report(["--db", str(hostile_db), "--as-of", "2024-06-30", "--profile", "nosuch"])
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "nosuch" in res.stderr


def test_a_locked_database_is_exit_3_with_the_bilingual_message(hostile_db):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
                               "print('ready', flush=True)\ntime.sleep(60)", str(hostile_db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        res = _report(["--db", str(hostile_db), "--as-of", "2024-06-30"], PLEDGEWATCH_LOCK_TIMEOUT="1")
    finally:
        holder.kill()
        holder.wait()
    assert res.returncode == 3 and "Traceback" not in res.stderr
    assert "正被另一个进程占用" in res.stderr


def test_dashboard_downloads_write_ledger_text_as_text(tmp_path):
    import pandas as pd

    from dashboard import exports

    frame = pd.DataFrame({"loan_id": ["@L1"], "enterprise_name": [FORMULA_BANK], "days_left": [-39]})
    cols = ("loan_id", "enterprise_name", "days_left")
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame, cols).decode("utf-8-sig"))))
    assert rows[1] == ["'@L1", "'" + FORMULA_BANK, "-39"]  # a number keeps its sign
    path = tmp_path / "d.xlsx"
    path.write_bytes(exports.xlsx_bytes({"overdue": (frame, cols)}))
    row = next(openpyxl.load_workbook(path)["overdue"].iter_rows(min_row=3))
    assert [(c.value, c.data_type) for c in row[:2]] == [("@L1", "s"), (FORMULA_BANK, "s")]
    assert "<f>" not in _sheet_xml(path)
