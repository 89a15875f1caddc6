"""R-OUT: outstanding principal; compensation and write-off reduce it, a recovery does not."""

from __future__ import annotations

from engine_fixtures import D, Ledger, state


def test_compensation_and_write_off_reduce_outstanding_recovery_does_not(build):
    ledger = Ledger().loan("C1", "100000", "2024-01-01", "2024-03-01")
    ledger.due("C1", "2024-03-01", "100000", "0")
    ledger.event("C1", "2024-04-30", "compensation_notice")
    ledger.event("C1", "2024-05-01", "compensation", "70000", "guarantor")
    ledger.event("C1", "2024-05-20", "recovery", "5000", "bank")
    ledger.event("C1", "2024-06-01", "write_off", "30000", "bank")
    con = build(ledger)
    before = state(con, "C1", "2024-04-30")
    assert (before["outstanding"], before["dpd_principal"]) == (D("100000.00"), 60)  # 30 + 30 days
    mid = state(con, "C1", "2024-05-20")
    # 100,000 − 70,000 compensation = 30,000 (recovery of 5,000 does not count); DPD 31+30+19 = 80
    assert (mid["outstanding"], mid["dpd_principal"], mid["active"]) == (D("30000.00"), 80, True)
    after = state(con, "C1", "2024-06-01")
    # 70,000 + 30,000 written off = 100,000 paid: nothing outstanding, nothing late, not active
    assert (after["outstanding"], after["dpd"], after["active"]) == (D("0.00"), 0, False)
