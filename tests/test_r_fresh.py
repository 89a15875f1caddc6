"""R-FRESH golden test by hand: per bank with active loans, the last record date, the last file
received, the stale flag (> freshness_days, 35), and the bureau's freshness table."""

from __future__ import annotations

import pytest
from engine_fixtures import PROFILE, Ledger, day, with_values

from pipelines import store
from queries import freshness, report

BATCHES = [  # batch_id, file, finished (the day it was loaded), rows rejected
    (1, "loans.xlsx", "2024-01-25 09:00", 0),
    (2, "repay_A.csv", "2024-03-12 10:00", 0),
    (3, "repay_B.csv", "2024-06-22 10:00", 0),
    (5, "A_0505.xlsx", "2024-05-05 16:00", 2),
]


@pytest.fixture
def db(tmp_path):
    """BankA: A1 disbursed 01-10, interest paid 02-10 and 03-10, then nothing (its file of those two
    payments loaded 03-12); on 05-05 a file re-sends A1's loan row, changed (the old one goes to
    history). BankB: B1 disbursed 01-20, paid on the 20th through 06-20, its file loaded 06-22 only.
    BankC: C1 repaid in full on 03-05, inactive after."""
    ledger = Ledger()
    ledger.loan("A1", "1000000", "2024-01-10", "2025-01-10", rate="0.0360", bank="BankA")
    ledger.loan("B1", "600000", "2024-01-20", "2024-12-20", rate="0.0360", bank="BankB")
    ledger.loan("C1", "300000", "2024-01-05", "2024-03-05", rate="0.0360", bank="BankC")
    ledger.pay("A1", "2024-02-10", interest_paid="3100.00").pay("A1", "2024-03-10", interest_paid="2900.00")
    for month in ("02", "03", "04", "05", "06"):
        ledger.pay("B1", f"2024-{month}-20", interest_paid="1860.00")
    ledger.pay("C1", "2024-02-05", interest_paid="930.00")
    ledger.pay("C1", "2024-03-05", principal_paid="300000", interest_paid="870.00")
    path = tmp_path / "fresh.duckdb"
    ledger.write(path)
    with store.write_connection(path) as con:
        for batch_id, name, finished, rejected in BATCHES:
            con.execute("insert into ingest_batches (batch_id, file_name, sha256, kind, rows_rejected, started_at, "
                        "finished_at, outcome) values (?, ?, 'x', 'loans', ?, ?::timestamp, ?::timestamp, 'loaded')",
                        [batch_id, name, rejected, finished, finished])
        con.execute("update repayments set batch_id = 2 where loan_id = 'A1'")
        con.execute("update repayments set batch_id = 3 where loan_id = 'B1'")
        con.execute("insert into loans_history select *, 5, timestamp '2024-05-05 16:00' from loans where loan_id = 'A1'")
        con.execute("update loans set batch_id = 5, industry = 'C39' where loan_id = 'A1'")
    return path


def rows(db, at, profile=PROFILE):
    with store.read_connection(db) as con:
        frame = freshness.banks(con, day(at), profile)
    return {r["bank"]: (r["last_record_on"], r["last_received"], r["days_since"], r["stale"], r["first_stale_on"])
            for r in frame.to_dict("records")}


def test_a_bank_without_records_or_files_goes_stale_after_35_days(db):
    # 04-16: BankA's latest is the file of 03-12 (its last payment 03-10): 35 days, not more
    assert rows(db, "2024-04-16") == {
        "BankA": (day("2024-03-10"), day("2024-03-12"), 35, False, day("2024-04-17")),
        # BankB's file of 06-22 is not counted before that day: only the loans file of 01-25
        "BankB": (day("2024-03-20"), day("2024-01-25"), 27, False, day("2024-04-25")),
    }
    # 04-17: 36 days — stale from that day; C1 (repaid 03-05) has no row: BankC has no active loan
    got = rows(db, "2024-04-17")
    assert got["BankA"] == (day("2024-03-10"), day("2024-03-12"), 36, True, day("2024-04-17"))
    assert set(got) == {"BankA", "BankB"}


def test_a_bank_that_still_files_is_not_stale(db):
    # A1 pays nothing after 03-10, but the file of 05-05 re-sent its loan row: fresh again
    assert rows(db, "2024-05-10")["BankA"] == (day("2024-03-10"), day("2024-05-05"), 5, False, day("2024-06-10"))
    assert rows(db, "2024-06-11")["BankA"][3] is True


def test_freshness_days_comes_from_the_profile(db):
    assert rows(db, "2024-04-16", with_values(freshness_days=30))["BankA"][3] is True
    assert rows(db, "2024-04-17", with_values(freshness_days=40))["BankA"][3] is False


def test_bureau_table_last_file_rows_rejects_missing_months(db):
    with store.read_connection(db) as con:
        table = freshness.files(con, day("2024-05-10"), PROFILE).to_dict("records")
    by_bank = {r["bank"]: r for r in table}
    a, b = by_bank["BankA"], by_bank["BankB"]
    # BankA's last file: A_0505.xlsx with one row of its loans (A1's loan row), 2 rows rejected
    assert (a["last_file"], a["last_file_rows"], a["last_file_rejects"]) == ("A_0505.xlsx", 1, 2)
    # A1 ran January to May; records in January (disbursed), February, March: April is missing
    assert (a["missing_count"], a["missing_months"]) == (1, "2024-04")
    # BankB: only the loans file of 01-25 by then (one row: B1), paid every month
    assert (b["last_file"], b["last_file_rows"], b["missing_count"], b["missing_months"]) == ("loans.xlsx", 1, 0,
                                                                                              None)


def test_report_key_stale_banks(db):
    with store.read_connection(db) as con:
        got = report.build_report(con, day("2024-04-20"), PROFILE)
    assert got["stale_banks"] == [{"bank": "BankA", "last_record_on": day("2024-03-10"),
                                   "last_received": day("2024-03-12")}]
    assert '"stale_banks": [\n    {"bank": "BankA", "last_record_on": "2024-03-10", "last_received": "2024-03-12"}' \
        in report.to_json(got)
    columns, table_rows = report.tables(got)["stale_banks"]
    assert columns == ("bank", "last_record_on", "last_received") and table_rows == [
        ["BankA", day("2024-03-10"), day("2024-03-12")]]


def test_scope_narrows_the_banks(db):
    with store.read_connection(db) as con:
        scoped = freshness.stale_banks(con, day("2024-04-20"), PROFILE, {"bank": "BankB"})
        guarantor = freshness.banks(con, day("2024-04-20"), PROFILE, {"guarantor": "GuarA"})
    assert scoped.empty and sorted(guarantor["bank"]) == ["BankA", "BankB"]
