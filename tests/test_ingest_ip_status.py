"""The ip_status ledger (LEDGER.md 知识产权法律状态) and collateral filed_on: value forms, enum
aliases in Chinese and English, and bilingual rejects — rows for IP not pledged in the program too."""

from __future__ import annotations

import datetime as dt

from test_ingest_rows import LOANS, loan, patent, rejects, write

from pipelines import ingest, store

P1, P2, P3 = patent(2019, 1, 1), patent(2020, 2, 2), patent(2021, 1, 3)


def pledged(tmp_path, db_path):
    """Two loans; L1 pledges P1 (filed 2019-08-31) and trademark TM7, L2 pledges P2."""
    write(tmp_path / "loans.csv", LOANS, [loan("L1", 1), loan("L2", 2)])
    write(tmp_path / "collateral.csv", "借据号,质押物类型,专利号/注册号,有效期至,评估价值,申请日",
          [f"L1,发明专利,{P1},2039-08-30,1200000,2019年8月31日", "L1,商标,TM7,2030-01-01,800000,",
           f"L2,实用新型,{P2},2030-01-01,,20200115"])
    results = ingest.ingest_paths([tmp_path / "loans.csv", tmp_path / "collateral.csv"], db=db_path)
    assert all(r.outcome == "loaded" and r.rows_rejected == 0 for r in results), results


def stored(db, sql):
    with store.read_connection(db) as con:
        return con.execute(sql).fetchall()


def test_collateral_filed_on_in_every_date_form(tmp_path, db_path):
    pledged(tmp_path, db_path)
    assert stored(db_path, "select ip_number, filed_on from collateral order by ip_number") == [
        ("TM7", None), (P1, dt.date(2019, 8, 31)), (P2, dt.date(2020, 1, 15))]


def test_ip_status_rows_load_with_aliases_and_date_forms(tmp_path, db_path):
    pledged(tmp_path, db_path)
    spaced = P1.replace("ZL", "ZL ").replace(".", "")                 # ZL 2019100000011 without the point
    lines = [
        f"{P1},2024-03-01,质押登记,",
        f"{spaced},2024/8/31,年费已缴,2025年8月31日",                    # normalised to the stored number
        f"{P2},20240115,fee_overdue,",
        "TM7,2024.6.30,届满,",
        f"{P2},45352,恢复,2025-01-15",                                  # Excel serial 45352 = 2024-03-01
    ]
    path = write(tmp_path / "status.csv", "专利号/注册号,法律状态公告日,法律状态,年费缴至", lines)
    (result,) = ingest.ingest_paths([path], db=db_path)
    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("ip_status", 5, 0)
    assert stored(db_path, "select ip_number, status_on, status, fee_paid_until from ip_status "
                           "order by status_on, ip_number") == [
        (P2, dt.date(2024, 1, 15), "fee_overdue", None),
        (P1, dt.date(2024, 3, 1), "pledge_registered", None),
        (P2, dt.date(2024, 3, 1), "restored", dt.date(2025, 1, 15)),
        ("TM7", dt.date(2024, 6, 30), "expired", None),
        (P1, dt.date(2024, 8, 31), "fee_paid", dt.date(2025, 8, 31)),
    ]


def test_ip_status_bad_rows_are_rejected_with_their_reason(tmp_path, db_path):
    pledged(tmp_path, db_path)
    bad_check = P1[:-1] + ("0" if P1[-1] != "0" else "1")
    lines = [
        f"{P1},2024-03-01,有效,",                 # row 2: good
        f"{P3},2024-03-01,有效,",                 # row 3: valid number, not pledged in the program
        "TM9,2024-03-01,有效,",                   # row 4: trademark not pledged
        f"{bad_check},2024-03-01,有效,",          # row 5: check digit
        f"{P1},2024-02-30,有效,",                 # row 6: no such date
        f"{P1},2024-03-02,转让,",                 # row 7: not a legal status
        f"{P1},2024-03-03,年费已缴,",             # row 8: fee_paid without fee_paid_until
        f"{P1},2024-03-01,有效,",                 # row 9: duplicate key of row 2
    ]
    path = write(tmp_path / "status.csv", "专利号,状态日期,法律状态,年费缴至", lines)
    (result,) = ingest.ingest_paths([path], db=db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 7)
    got = {(row, col): reason for row, col, _, reason in rejects(db_path)}
    assert got[(3, "ip_number")].startswith("ip_number is not pledged in the program")
    assert got[(4, "ip_number")].startswith("ip_number is not pledged in the program")
    assert got[(5, "ip_number")].startswith("patent number is malformed")
    assert got[(6, "status_on")].startswith("not a valid date")
    assert got[(7, "status")].startswith("legal status not allowed")
    assert got[(8, "fee_paid_until")] == "fee_paid and restored rows must give fee_paid_until"
    assert got[(9, "ip_number, status_on, status")].startswith("duplicate key of row 2")
    zh = stored(db_path, "select reason_zh from rejects where row_number = 3")
    assert zh == [("该专利号/注册号不在质押物清单中（非本项目质押的知识产权）",)]


def test_ip_status_in_a_folder_loads_after_collateral_and_a_correction_keeps_history(tmp_path, db_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # file names sort the status file first; LOAD_ORDER still loads collateral before it
    write(folder / "a_status.csv", "专利号,状态日期,状态,年费缴至", [f"{P1},2024-08-31,fee_paid,2025-08-31"])
    write(folder / "b_loans.csv", LOANS, [loan("L1", 1)])
    write(folder / "c_collateral.csv", "借据号,质押物类型,专利号,有效期至",
          [f"L1,invention_patent,{P1},2039-08-30"])
    results = ingest.ingest_paths([folder], db=db_path)
    assert [r.kind for r in results] == ["loans", "collateral", "ip_status"]
    assert all(r.rows_rejected == 0 for r in results)
    fixed = write(tmp_path / "fix.csv", "专利号,状态日期,状态,年费缴至", [f"{P1},2024-08-31,fee_paid,2025-09-01"])
    (result,) = ingest.ingest_paths([fixed], db=db_path)
    assert result.rows_loaded == 1
    assert stored(db_path, "select fee_paid_until from ip_status") == [(dt.date(2025, 9, 1),)]
    assert stored(db_path, "select fee_paid_until from ip_status_history") == [(dt.date(2025, 8, 31),)]
