"""Row checks (LEDGER.md "Bad input"): each bad row goes to rejects with its reason, good rows load."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from stdnum.cn import uscc

from pipelines import ingest, profile, store

LOANS = "借据号,企业名称,统一社会信用代码,贷款银行,质押方式,担保公司,评估机构,贷款金额,年利率,发放日期,到期日期,评估价值"


def code(n: int) -> str:
    base = f"91360123{n:09d}"
    return base + uscc.calc_check_digit(base)


def patent(year: int, type_digit: int, serial: int) -> str:
    """A valid Chinese patent number, check digit by hand: Σ digit × (2..9,2..5) mod 11, 10 = X."""
    digits = f"{year}{type_digit}{serial:07d}"
    total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    check = total % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


def loan(loan_id, n, mode="直接质押", guarantor="", principal="1000000", disbursed="2024-03-01",
         matures="2025-02-28", credit=None):
    return (f"{loan_id},企业{n},{credit or code(n)},安义农商行,{mode},{guarantor},评估所,{principal},0.0345,"
            f"{disbursed},{matures},2000000")


def write(path, header, lines, encoding="utf-8"):
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def rejects(db):
    with store.read_connection(db) as con:
        return con.execute("select row_number, column_name, raw_value, reason_en from rejects "
                           "order by row_number, column_name").fetchall()


def fetch(db, sql):
    with store.read_connection(db) as con:
        return con.execute(sql).fetchall()


def test_loan_row_checks(db_path, tmp_path):
    bad_code = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")   # wrong check digit
    lines = [
        loan("L1", 1, mode="间接质押", guarantor="担保甲"),            # row 2: good
        loan("L2", 2, mode="indirect"),                                 # row 3: no guarantor: C11, kept
        loan("L3", 3, credit=bad_code),                                 # row 4: check digit
        loan("L4", 4, principal="-5"),                                  # row 5: negative
        loan("L5", 5, matures="2024-03-01"),                            # row 6: maturity = disbursement
        loan("L6", 6, mode="抵押"),                                     # row 7: not a pledge mode
        loan("", 7),                                                    # row 8: loan_id missing
        loan("L1", 8),                                                  # row 9: duplicate of row 2
        loan("L9", 9, principal="x", disbursed="2024-02-30", mode="?"),  # row 10: three bad cells
    ]
    (res,) = ingest.ingest_paths([write(tmp_path / "loans.csv", LOANS, lines)], db=db_path)
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (9, 2, 7)
    assert fetch(db_path, "select loan_id, pledge_mode, guarantor from loans order by 1") == [
        ("L1", "indirect", "担保甲"), ("L2", "indirect", None)]
    got = rejects(db_path)
    assert [(r[0], r[1], r[2]) for r in got] == [
        (4, "credit_code", bad_code),
        (5, "principal", "-5"),
        (6, "matures_on", "2024-03-01"),
        (7, "pledge_mode", "抵押"),
        (8, "loan_id", None),
        (9, "loan_id", "L1"),
        (10, "disbursed_on", "2024-02-30"),
        (10, "pledge_mode", "?"),
        (10, "principal", "x"),
    ]
    reasons = {r[0]: r[3] for r in got}
    assert "check digit" in reasons[4] and "negative" in reasons[5] and "after disbursed_on" in reasons[6]
    assert "required" in reasons[8] and "row 2" in reasons[9]
    with store.read_connection(db_path) as con:
        zh = con.execute("select reason_zh from rejects where row_number = 9").fetchall()[0][0]
    assert zh == "与本表第 2 行主键重复，已载入第一次出现的行"


def test_credit_code_allow_list_from_profile(db_path, tmp_path, monkeypatch):
    legacy = code(5)[:-1] + ("0" if code(5)[-1] != "0" else "1")
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = (profile.PROFILES_DIR / "anyi.toml").read_text(encoding="utf-8")
    text = text.replace("credit_code_exceptions = []", f'credit_code_exceptions = ["{legacy.lower()}"]')
    (folder / "anyi.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(profile, "PROFILES_DIR", folder)
    (res,) = ingest.ingest_paths([write(tmp_path / "loans.csv", LOANS, [loan("L5", 5, credit=legacy)])],
                                 db=db_path)
    assert (res.rows_loaded, res.rows_rejected) == (1, 0)
    assert fetch(db_path, "select credit_code from loans") == [(legacy,)]


def test_references_collateral_and_events(db_path, tmp_path):
    loans = write(tmp_path / "loans.csv", LOANS, [loan("L1", 1, mode="间接质押", guarantor="担保甲")])
    good_inv = patent(2023, 1, 123456)
    good_util = patent(2021, 2, 765432)
    pct_inv = patent(2022, 8, 5)
    bad_check = good_inv[:-1] + ("0" if good_inv[-1] != "0" else "1")
    collateral = write(tmp_path / "collateral.csv", "借据号,质押物类型,专利号/注册号,有效期至", [
        f"L1,发明专利,{good_inv},2043-01-01",                               # row 2
        f"L1,实用新型,{good_util[2:].replace('.', '')},2031-01-01",         # row 3: no ZL, no point
        f"L1,发明,ZL {pct_inv[2:6]} {pct_inv[6:]},2042-01-01",             # row 4: spaces; PCT invention 8
        "L1,商标,第12345678号,2030-01-01",                                  # row 5: trademark as given
        f"L1,发明专利,{bad_check},2043-01-01",                              # row 6: check digit
        f"L1,实用新型,{good_inv},2043-01-01",                               # row 7: type 1 is invention
        f"L1,外观设计,{patent(2023, 3, 1)},2033-01-01",                     # row 8: design not accepted
        f"L2,发明专利,{patent(2023, 1, 7)},2043-01-01",                     # row 9: unknown loan
    ])
    events = write(tmp_path / "events.csv", "借据号,日期,事件类型,承担方,金额", [
        "L1,2024-06-01,代偿通知书,,",                                       # row 2: notice needs no amount
        "L1,2024-06-20,代偿,担保机构,",                                     # row 3: amount missing
        "L1,2024-06-21,代偿,担保公司,700000",                               # row 4
        "L1,2024-06-22,赔偿,银行,1",                                        # row 5: unknown kind
        "L1,2024-06-01,代偿通知,,",                                         # row 6: same notice as row 2
    ])
    ingest.ingest_paths([events, collateral, loans], db=db_path)
    assert fetch(db_path, "select ip_type, ip_number from collateral order by ip_number") == [
        ("utility_model", good_util), ("invention_patent", pct_inv), ("invention_patent", good_inv),
        ("trademark", "第12345678号")]
    assert fetch(db_path, "select kind, party, amount from events order by event_on") == [
        ("compensation_notice", None, None), ("compensation", "guarantor", Decimal("700000.00"))]
    with store.read_connection(db_path) as con:
        got = con.execute("select file_name, row_number, column_name, reason_en from rejects "
                          "order by file_name, row_number").fetchall()
    assert [(f, r, c) for f, r, c, _ in got] == [
        ("collateral.csv", 6, "ip_number"), ("collateral.csv", 7, "ip_number"),
        ("collateral.csv", 8, "ip_type"), ("collateral.csv", 9, "loan_id"),
        ("events.csv", 3, "amount"), ("events.csv", 5, "kind"), ("events.csv", 6, "loan_id, event_on, kind, party")]
    assert "check digit" in got[0][3] and "type digit" in got[1][3] and "not in the loans" in got[3][3]


def test_row_numbers_count_title_and_header_rows(db_path, tmp_path):
    loans = write(tmp_path / "loans.csv", LOANS, [loan("L1", 1)])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "流水"
    ws.append(["还款流水（2024年）"])
    ws.append([])
    ws.append(["借据号", "还款日期", "实还本金", "实还利息", "交易流水号"])
    ws.append(["L1", "2024-04-01", 0, 2875, "T1"])               # row 4
    ws.append([])                                                # row 5: blank, skipped
    ws.append(["L1", "2024-05-01", 0, "2,875.00", "T1"])        # row 6: duplicate txn T1 of row 4
    ws.append(["L9", "2024-05-01", 0, 1, "T9"])                  # row 7: unknown loan
    wb.save(tmp_path / "repay.xlsx")
    results = ingest.ingest_paths([loans, tmp_path / "repay.xlsx"], db=db_path)
    assert [(r.kind, r.sheet, r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("loans", None, 1, 1, 0), ("repayments", "流水", 3, 1, 2)]
    assert [(r[0], r[1], r[2]) for r in rejects(db_path)] == [(6, "txn_id", "T1"), (7, "loan_id", "L9")]


def test_repayments_without_txn_id_keyed_by_row_digest(db_path, tmp_path):
    loans = write(tmp_path / "loans.csv", LOANS, [loan("L1", 1)])
    repay = write(tmp_path / "repay.csv", "借据号,还款日期,本金,利息", [
        "L1,2024-04-01,0,2875.00", "L1,2024-05-01,0,2875", "L1,2024/5/1,0.00,2875"])   # row 4 = row 3
    results = ingest.ingest_paths([loans, repay], db=db_path)
    assert (results[1].rows_loaded, results[1].rows_rejected) == (2, 1)
    keys = fetch(db_path, "select row_key, txn_id from repayments order by paid_on")
    assert all(k.startswith("row:") and len(k) == 36 and t is None for k, t in keys)
    assert [r[:3] for r in rejects(db_path)] == [
        (4, "loan_id, paid_on, principal_paid, interest_paid", "L1 / 2024-05-01 / 0.00 / 2875.00")]


def test_sql_credit_code_precheck_agrees_with_stdnum():
    """The vectorised GB 32100 pre-check (macros.sql pw_uscc_ok) against python-stdnum, on valid
    codes, wrong check characters and characters outside the alphabet (I, O, S, V, Z)."""
    import random

    import duckdb

    from pipelines.ingest import SQL_DIR

    rng = random.Random(32100)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for _ in range(2000):
        base = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(rng.choice(alphabet) for _ in range(9))
        codes += [base + uscc.calc_check_digit(base), base + rng.choice(alphabet + "IOSVZ")]
    codes += [code(1)[:8] + "I" + code(1)[9:], "12345", code(2) + "0"]
    con = duckdb.connect()
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    got = con.execute("select c, pw_uscc_ok(c) from unnest(?::varchar[]) as t(c)", [codes]).fetchall()
    assert len(got) == len(codes)
    assert [c for c, ok in got if bool(ok) != uscc.is_valid(c)] == []
    assert sum(1 for _, ok in got if ok) >= 2000       # the valid half (and a few lucky guesses) pass


def test_row_numbers_exact_deep_in_a_big_csv(db_path, tmp_path, monkeypatch):
    """DuckDB reads a big CSV in parallel chunks; the row numbers of rejects must still be the
    file's own (ingest numbers records by their order in the copied sheet: _register_source).
    A 64 KB read buffer makes this 8.6 MB file come in ~130 chunks, as a 500 MB one would."""
    monkeypatch.setattr(ingest, "_CSV_READ_OPTIONS", {"buffer_size": 1 << 16})
    loans = write(tmp_path / "loans.csv", LOANS, [loan("L1", 1)])
    lines = [f"L1,2024-{m:02d}-{d:02d},0,1.00,T{i}"
             for i, (m, d) in enumerate(((i // 28) % 12 + 1, i % 28 + 1) for i in range(300_000))]
    bad = {200_000: "L1,2024-13-01,0,1.00,TX1",       # not a date
           250_000: "L1,2024-01-02,0,1.00,T10",       # txn T10 again (first on data line 11)
           299_998: "L9,2024-01-02,0,1.00,TX2"}       # unknown loan
    for i, text in bad.items():
        lines[i] = text
    body = "还款流水（2024年）\n借据号,还款日期,本金,利息,交易流水号\n"
    repay = tmp_path / "repay.csv"
    repay.write_text(body + "\n".join(lines) + "\n", encoding="utf-8")
    results = ingest.ingest_paths([loans, repay], db=db_path)
    assert [(r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [(1, 1, 0), (300_000, 299_997, 3)]
    # data line i (0-based) is row i + 3 of the file: a title row and the header row above it
    assert [r[:3] for r in rejects(db_path)] == [
        (200_003, "paid_on", "2024-13-01"), (250_003, "txn_id", "T10"), (300_001, "loan_id", "L9")]
