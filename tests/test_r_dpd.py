"""R-DPD: days past due per stream, the tolerance, the loan's DPD, ageing buckets and probes of many
days. Ledgers in tests/engine_fixtures.py (dpd_ledger, ageing_ledger); arithmetic in the comments."""

from __future__ import annotations

import pandas as pd
from engine_fixtures import AS_OF, DPDS, PROFILE, D, ageing_ledger, day, dpd_ledger, state

from queries import dpd


def test_due_paid_on_its_due_date_is_never_late(build):
    con = build(dpd_ledger())
    assert state(con, "ON_TIME", "2024-01-10")["dpd"] == 0
    assert state(con, "ON_TIME", "2024-01-11")["dpd"] == 0
    assert state(con, "ON_TIME", "2024-02-05")["dpd"] == 0


def test_a_due_is_not_late_on_its_own_due_date_and_one_day_late_the_next(build):
    con = build(dpd_ledger())
    assert state(con, "UNPAID", "2024-01-10")["dpd"] == 0
    s = state(con, "UNPAID", "2024-01-11")
    assert (s["dpd"], s["dpd_interest"], s["dpd_principal"]) == (1, 1, 0)
    assert s["oldest_unpaid_due"] == day("2024-01-10")


def test_tolerance_001_is_tolerated_002_is_not(build):
    con = build(dpd_ledger())
    assert state(con, "SHORT_001", "2024-01-20")["dpd"] == 0   # 100.00 > 99.99 + 0.01 is false
    assert state(con, "SHORT_002", "2024-01-10")["dpd"] == 0   # own due date
    assert state(con, "SHORT_002", "2024-01-20")["dpd"] == 10  # 100.00 > 99.98 + 0.01: 20 − 10 = 10


def test_streams_are_separate_and_loan_dpd_is_the_larger(build):
    con = build(dpd_ledger())
    s = state(con, "PRINCIPAL_LATE", "2024-02-15")
    assert (s["dpd_principal"], s["dpd_interest"], s["dpd"]) == (5, 0, 5)  # 15 − 10 Feb
    u = state(con, "UNPAID", "2024-02-15")
    # interest oldest unpaid 10 Jan: 21 days of Jan + 15 = 36; principal due 10 Feb: 5
    assert (u["dpd_principal"], u["dpd_interest"], u["dpd"]) == (5, 36, 36)


def test_ageing_bucket_boundaries(build):
    con = build(ageing_ledger())
    snap = dpd.loan_snapshot(con, AS_OF, PROFILE).set_index("loan_id")
    assert [int(snap.loc[f"A{d:03d}", "dpd"]) for d in DPDS] == list(DPDS)
    assert [snap.loc[f"A{d:03d}", "bucket"] for d in DPDS] == [
        "current", "1-29", "30-59", "30-59", "60-89", "60-89", "90+", "90+", "90+", "90+", "90+", "90+"]
    ageing = dpd.ageing(con, AS_OF, PROFILE)
    assert [(r.bucket, r.loans, r.balance) for r in ageing.itertuples()] == [
        ("current", 1, D("1000.00")), ("1-29", 1, D("1000.00")), ("30-59", 2, D("2000.00")),
        ("60-89", 2, D("2000.00")), ("90+", 6, D("6000.00"))]


def test_loan_state_probes_many_days_and_skips_unknown_loans(build):
    con = build(dpd_ledger())
    probes = pd.DataFrame({"loan_id": ["UNPAID", "UNPAID", "NOPE"],
                           "at": [day("2024-01-10"), day("2024-01-12"), day("2024-01-12")]})
    frame = dpd.loan_state_at(con, probes, PROFILE)
    assert [(r.loan_id, r.at, r.dpd) for r in frame.itertuples()] == [
        ("UNPAID", day("2024-01-10"), 0), ("UNPAID", day("2024-01-12"), 2)]
    history = dpd.loan_history(con, "UNPAID", PROFILE, end="2024-01-12")
    assert list(history["dpd"])[-3:] == [0, 1, 2]
