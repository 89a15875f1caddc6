"""Loading twice changes nothing; corrections replace rows and keep history; folders load in order."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from stdnum.cn import uscc
from store_fixtures import table_counts

from pipelines import ingest, store

LOANS = "借据号,企业名称,统一社会信用代码,贷款银行,质押方式,担保公司,评估机构,贷款金额,年利率,发放日期,到期日期,评估价值"


def code(n: int) -> str:
    base = f"91360123{n:09d}"
    return base + uscc.calc_check_digit(base)


def loan(loan_id, n, principal="1000000"):
    return f"{loan_id},企业{n},{code(n)},安义农商行,直接质押,,评估所,{principal},0.0345,2024-03-01,2025-02-28,2000000"


def write(path, header, lines, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


counts = table_counts


def portfolio(folder):
    write(folder / "loans.csv", LOANS, [loan("L1", 1), loan("L2", 2), loan("L3", 3, principal="bad")])
    write(folder / "repay.csv", "借据号,还款日期,本金,利息", ["L1,2024-04-01,0,2875", "L2,2024-04-01,0,2875"],
          encoding="gbk")
    write(folder / "events.csv", "借据号,日期,事件类型,承担方,金额", ["L2,2024-06-01,代偿通知,,"])
    return folder


def test_loading_twice_changes_nothing(db_path, tmp_path):
    folder = portfolio(tmp_path / "in")
    first = ingest.ingest_paths([folder], db=db_path)
    assert [r.outcome for r in first] == ["loaded"] * 3
    before = counts(db_path)
    assert (before["loans"], before["repayments"], before["events"], before["rejects"]) == (2, 2, 1, 1)
    assert before["ingest_batches"] == 3
    second = ingest.ingest_paths([folder], db=db_path)
    assert [r.outcome for r in second] == ["skipped"] * 3
    assert all("already loaded" in r.message_en and "已于批次" in r.message_zh for r in second)
    assert counts(db_path) == before


def test_same_rows_in_a_new_file_are_unchanged(db_path, tmp_path):
    write(tmp_path / "a" / "loans.csv", LOANS, [loan("L1", 1), loan("L2", 2)])
    write(tmp_path / "b" / "loans_again.csv", LOANS, [loan("L1", 1), loan("L2", 2), loan("L4", 4)])
    ingest.ingest_paths([tmp_path / "a"], db=db_path)
    (res,) = ingest.ingest_paths([tmp_path / "b"], db=db_path)
    assert (res.rows_read, res.rows_loaded, res.rows_unchanged, res.rows_rejected) == (3, 1, 2, 0)
    c = counts(db_path)
    assert (c["loans"], c["loans_history"], c["ingest_batches"]) == (3, 0, 2)


def test_correction_replaces_and_keeps_history(db_path, tmp_path):
    write(tmp_path / "a" / "loans.csv", LOANS, [loan("L1", 1), loan("L2", 2)])
    write(tmp_path / "b" / "loans_fix.csv", LOANS, [loan("L1", 1, principal="900000"), loan("L2", 2)])
    (first,) = ingest.ingest_paths([tmp_path / "a"], db=db_path)
    (fix,) = ingest.ingest_paths([tmp_path / "b"], db=db_path)
    assert (fix.rows_loaded, fix.rows_unchanged) == (1, 1)
    with store.read_connection(db_path) as con:
        now = con.execute("select loan_id, principal, batch_id from loans order by 1").fetchall()
        hist = con.execute("select loan_id, principal, batch_id, replaced_by_batch, replaced_at is not null "
                           "from loans_history").fetchall()
    assert now == [("L1", Decimal("900000.00"), fix.batch_id), ("L2", Decimal("1000000.00"), first.batch_id)]
    assert hist == [("L1", Decimal("1000000.00"), first.batch_id, fix.batch_id, True)]


def test_lpr_ledger_adds_and_corrects_the_shipped_table(db_path, tmp_path):
    shipped = counts(db_path)["lpr"]
    path = write(tmp_path / "lpr.csv", "生效日期,一年期LPR(%)", ["2025-05-20,3.10", "2030-01-20,2.90"])
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert (res.kind, res.rows_loaded, res.rows_unchanged) == ("lpr", 2, 0)
    with store.read_connection(db_path) as con:
        rows = dict(con.execute("select effective_on::varchar, rate from lpr").fetchall())
        hist = con.execute("select effective_on::varchar, rate, batch_id, replaced_by_batch from lpr_history"
                           ).fetchall()
    assert counts(db_path)["lpr"] == shipped + 1
    assert rows["2025-05-20"] == Decimal("0.031") and rows["2030-01-20"] == Decimal("0.029")
    assert hist == [("2025-05-20", Decimal("0.03"), 0, res.batch_id)]   # shipped rows are batch 0


def test_folder_loads_in_dependency_order_and_archives(db_path, tmp_path):
    folder = tmp_path / "in"
    # Alphabetical order would load repayments and events before their loans.
    write(folder / "a_还款流水.csv", "借据号,还款日期,本金,利息,流水号", ["L1,2024-04-01,0,2875,T1"])
    write(folder / "sub" / "b_事件.csv", "借据号,日期,事件类型,承担方,金额", ["L1,2024-06-01,代偿通知,,"])
    write(folder / "z_借据.csv", LOANS, [loan("L1", 1)])
    (folder / "README.md").write_text("# 说明\n借据号,还款日期\n", encoding="utf-8")
    (folder / "说明.txt").write_text("借据号,还款日期,本金,利息\nL9,2024-04-01,0,1\n", encoding="utf-8")
    (folder / ".hidden.csv").write_text("junk", encoding="utf-8")
    results = ingest.ingest_paths([folder], db=db_path)
    assert [(r.file_name, r.kind, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("z_借据.csv", "loans", 1, 0), ("a_还款流水.csv", "repayments", 1, 0), ("b_事件.csv", "events", 1, 0)]
    data = (folder / "z_借据.csv").read_bytes()
    archived = db_path.parent / "archive" / f"{hashlib.sha256(data).hexdigest()}.csv"
    assert archived.read_bytes() == data
