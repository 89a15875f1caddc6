"""Whole-file refusals (LEDGER.md "Bad input"): exit 2, one bilingual message naming the file, no
traceback, and the database exactly as it was (no batch row either)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from stdnum.cn import uscc
from store_fixtures import table_counts

from pipelines import ingest

ROOT = Path(__file__).resolve().parent.parent
LOANS = "借据号,企业名称,统一社会信用代码,贷款银行,质押方式,担保公司,评估机构,贷款金额,年利率,发放日期,到期日期,评估价值"


def loan_line(loan_id: str, n: int) -> str:
    base = f"91360123{n:09d}"
    return (f"{loan_id},企业{n},{base + uscc.calc_check_digit(base)},安义农商行,直接质押,,评估所,1000000,0.0345,"
            f"2024-03-01,2025-02-28,2000000")


counts = table_counts


def _loans_book(path: Path, second_sheet_header: list[str]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "借据"
    wb.active.append(LOANS.split(","))
    wb.active.append(loan_line("L1", 1).split(","))
    other = wb.create_sheet("其他")
    other.append(second_sheet_header)
    other.append(["x"] * len(second_sheet_header))
    wb.save(path)
    return path


def bad_files(folder: Path) -> dict[str, tuple[str, str]]:
    """Refused files, each with words its English and Chinese messages must contain."""
    folder.mkdir()
    (folder / "empty.csv").write_bytes(b"")
    (folder / "blank.csv").write_text("\n \n", encoding="utf-8")
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (folder / "people.csv").write_text("姓名,年龄\n张三,30\n", encoding="utf-8")
    (folder / "no_code.csv").write_text(LOANS.replace("统一社会信用代码,", "") + "\nL1\n", encoding="gbk")
    (folder / "garbage.xlsx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    good = _loans_book(folder / "whole.xlsx", ["a", "b"])
    data = good.read_bytes()
    (folder / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    good.unlink()
    _loans_book(folder / "mixed.xlsx", ["名称", "数量"])       # one sheet fine, one not a ledger
    (folder / "ragged.csv").write_text(LOANS + "\n" + loan_line("L1", 1) + "\n" + loan_line("L2", 2) + ",x,y\n",
                                       encoding="utf-8")
    return {
        "empty.csv": ("empty", "为空"),
        "blank.csv": ("empty", "为空"),
        "binary.csv": ("binary", "二进制"),
        "people.csv": ("ledger kind", "台账类型"),
        "no_code.csv": ("credit_code", "统一社会信用代码"),
        "garbage.xlsx": ("XLSX", "XLSX"),
        "truncated.xlsx": ("XLSX", "XLSX"),
        "mixed.xlsx": ("sheet '其他'", "工作表“其他”"),
        "ragged.csv": ("malformed CSV", "CSV 格式错误"),
    }


def test_cli_refuses_each_bad_file_and_changes_nothing(db_path, tmp_path):
    expected = bad_files(tmp_path / "bad")
    before = counts(db_path)
    proc = subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(db_path), str(tmp_path / "bad")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.splitlines()
    for name, (en, zh) in expected.items():
        english = [ln for ln in lines if ln.startswith(f"File {name} refused")]
        chinese = [ln for ln in lines if ln.startswith(f"文件 {name} 被拒收")]
        assert len(english) == 1 and en in english[0], (name, lines)
        assert len(chinese) == 1 and zh in chinese[0], (name, lines)
    assert counts(db_path) == before
    assert not (db_path.parent / "archive").exists()


@pytest.mark.parametrize("kind", ["repayments", "lpr"])
def test_kind_override_that_does_not_fit_is_refused(db_path, tmp_path, kind):
    path = tmp_path / "loans.csv"
    path.write_text(LOANS + "\n" + loan_line("L1", 1) + "\n", encoding="utf-8")
    (res,) = ingest.ingest_paths([path], db=db_path, kind=kind)
    assert res.outcome == "refused" and res.batch_id is None
    assert "lacks required columns" in res.message_en and "缺少必填列" in res.message_zh


def test_other_files_of_a_folder_still_load(db_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "loans.csv").write_text(LOANS + "\n" + loan_line("L1", 1) + "\n", encoding="utf-8")
    (folder / "empty.csv").write_bytes(b"")
    results = ingest.ingest_paths([folder], db=db_path)
    assert sorted((r.file_name, r.outcome) for r in results) == [("empty.csv", "refused"), ("loans.csv", "loaded")]
    assert counts(db_path)["loans"] == 1
    proc = subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(db_path), str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    # loans.csv is skipped (already loaded), empty.csv refused again: exit 2 at the end
    assert proc.returncode == 2 and "empty.csv" in proc.stderr and "already loaded" in proc.stdout


def test_preview_reports_refusal_without_raising(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("姓名,年龄\n张三,30\n", encoding="utf-8")
    (pv,) = ingest.preview(path, db=tmp_path / "none.duckdb")
    assert pv.refused is not None and pv.refused.file_name == "people.csv"
    assert "people.csv" in pv.refused.message_zh and "people.csv" in pv.refused.message_en
    assert not (tmp_path / "none.duckdb").exists()
