"""R-NPL: the point-in-time ratio (whole outstanding of an overdue loan, null without active loans),
its month-end series, breakdowns and scope. Arithmetic in the comments."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from engine_fixtures import PROFILE, D, Ledger, day, dpd_ledger, halt_ledger

from pipelines import store
from queries import alert60, dpd, ratio


def test_overdue_loan_counts_with_its_whole_outstanding(build):
    con = build(dpd_ledger())
    snap = dpd.loan_snapshot(con, "2024-01-20", PROFILE).set_index("loan_id")
    assert snap.loc["SHORT_002", "overdue"] and snap.loc["SHORT_002", "outstanding"] == D("10000.00")
    s = ratio.summary(con, "2024-01-20", PROFILE)
    # overdue: SHORT_002 and UNPAID, each 10,000 although only 100 / 0.02 is late; active 5 × 10,000
    assert (s["overdue_balance"], s["active_balance"]) == (D("20000.00"), D("50000.00"))
    assert s["npl_ratio"] == Decimal("0.4")  # 20,000 / 50,000


def test_null_ratio_without_active_loans(build, db_path):
    with store.read_connection(db_path) as con:  # empty store
        s = ratio.summary(con, "2024-01-01", PROFILE)
        assert (s["npl_ratio"], s["active_balance"], s["status"]) == (None, 0, "normal")
        assert ratio.npl_series(con, PROFILE).empty
    ledger = Ledger().loan("P1", "1000", "2024-01-01", "2024-02-01").due("P1", "2024-02-01", "1000", "0")
    ledger.pay("P1", "2024-02-01", principal_paid="1000")
    con = build(ledger)
    assert ratio.summary(con, "2024-01-15", PROFILE)["npl_ratio"] == 0
    repaid = ratio.summary(con, "2024-02-01", PROFILE)  # repaid in full: no active loan left
    assert (repaid["npl_ratio"], repaid["active_loans"]) == (None, 0)


def test_month_end_series_comes_from_the_daily_series(build):
    con = build(halt_ledger())
    months = ratio.month_end_series(con, PROFILE)
    assert list(months["day"]) == [day("2024-01-31"), day("2024-02-29"), day("2024-03-31"), day("2024-04-30"),
                                   day("2024-05-31")]
    assert list(months["status"]) == ["normal", "halted", "normal", "halted", "normal"]
    assert all(months["active_balance"] == D("1000000.00"))


def test_breakdown_and_scope(build):
    ledger = dpd_ledger()
    ledger.loan("OTHER_BANK", "30000", "2023-12-10", "2024-02-10", bank="BankB", guarantor=None)
    ledger.due("OTHER_BANK", "2024-01-10", "0", "1.00").due("OTHER_BANK", "2024-02-10", "30000", "0")
    con = build(ledger)
    by_bank = ratio.breakdown(con, "2024-01-20", PROFILE, "bank").set_index("name")
    # BankA: 20,000 overdue of 50,000 = 0.4; BankB: 30,000 overdue of 30,000 = 1
    assert by_bank.loc["BankA", "npl_ratio"] == Decimal("0.4") and by_bank.loc["BankB", "npl_ratio"] == 1
    by_guarantor = ratio.breakdown(con, "2024-01-20", PROFILE, "guarantor")
    assert by_guarantor["name"].iloc[0] == "GuarA" and pd.isna(by_guarantor["name"].iloc[1])  # direct: none
    scoped = ratio.summary(con, "2024-01-20", PROFILE, scope={"bank": "BankB", "guarantor": None,
                                                               "appraiser": None})
    assert (scoped["active_balance"], scoped["npl_ratio"]) == (D("30000.00"), 1)
    program = ratio.summary(con, "2024-01-20", PROFILE)
    assert program["npl_ratio"] == Decimal("0.625")  # (20,000 + 30,000) / 80,000
    assert alert60.alerts(con, "2024-03-10", PROFILE, scope={"bank": "BankB"}).iloc[0]["action"] == "disposal"
