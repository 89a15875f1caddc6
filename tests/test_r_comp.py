"""R-COMP: compensation claims, their deadline, settlement within the tolerance, premature notices,
direct pledges. The defaulted loan (tests/obligation_fixtures.py: defaulted_loan) is 1 day past due
at the end of 2025-06-11, so DPD at date d = d − 2025-06-10: 59 on 08-08, 60 on 08-09."""

from __future__ import annotations

import datetime as dt

import pytest
from obligation_fixtures import D, add_event, add_repayment, defaulted_loan

from pipelines import profile
from queries import claims

ANYI = profile.load("anyi")


def claim(con, as_of, loan_id="L1"):
    frame = claims.claims(con, as_of, ANYI)
    rows = frame[frame["loan_id"] == loan_id].to_dict("records")
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_claim_is_pending_through_the_deadline_and_late_the_day_after(con):
    defaulted_loan(con)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    # deadline = 2025-08-09 + 25 days = 2025-09-03
    assert claim(con, "2025-08-08") is None  # no claim before its notice
    on_deadline = claim(con, "2025-09-03")
    assert on_deadline["deadline"] == dt.date(2025, 9, 3)
    assert on_deadline["status"] == "pending"
    assert on_deadline["days_left"] == 0
    # expected = outstanding 1,000,000 × 0.70 / × 0.10
    assert on_deadline["expected_guarantor"] == D("700000.00")
    assert on_deadline["expected_appraiser"] == D("100000.00")
    assert on_deadline["outstanding_at_notice"] == D("1000000.00")
    day_after = claim(con, "2025-09-04")
    assert day_after["status"] == "late"
    assert day_after["days_left"] == -1


@pytest.mark.parametrize(("appraiser_paid", "status", "settled_on"), [
    ("99999.99", "settled", dt.date(2025, 8, 21)),   # shortfall 0.01 = tolerance: settled
    ("99999.98", "pending", None),                    # shortfall 0.02: not settled
])
def test_claim_settles_within_one_fen_of_the_expected_amount(con, appraiser_paid, status, settled_on):
    defaulted_loan(con)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    add_event(con, "L1", "2025-08-20", "compensation", "700000.00", "guarantor")
    add_event(con, "L1", "2025-08-21", "compensation", appraiser_paid, "appraiser")
    row = claim(con, "2025-09-01")
    assert row["status"] == status
    assert row["settled_on"] == settled_on
    assert row["received_guarantor"] == D("700000.00")
    assert row["received_appraiser"] == D(appraiser_paid)
    # a compensation dated after as_of does not count yet: at 08-20 the appraiser has paid nothing
    assert claim(con, "2025-08-20")["received_appraiser"] == D("0.00")


def test_claim_paid_after_the_deadline_is_late_until_paid_then_settled(con):
    defaulted_loan(con)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    add_event(con, "L1", "2025-08-20", "compensation", "700000.00", "guarantor")
    add_event(con, "L1", "2025-09-10", "compensation", "100000.00", "appraiser")
    assert claim(con, "2025-09-09")["status"] == "late"
    settled = claim(con, "2025-09-10")
    assert (settled["status"], settled["settled_on"], settled["days_left"]) == ("settled", dt.date(2025, 9, 10), None)


@pytest.mark.parametrize(("notice_on", "dpd", "premature"), [
    ("2025-08-08", 59, True),    # 2025-08-08 − 2025-06-10 = 59 days
    ("2025-08-09", 60, False),   # 60 days: the trigger is inclusive
])
def test_notice_before_60_days_past_due_is_premature(con, notice_on, dpd, premature):
    defaulted_loan(con)
    add_event(con, "L1", notice_on, "compensation_notice")
    row = claim(con, "2025-12-31")
    assert row["dpd_at_notice"] == dpd
    assert row["premature"] is premature


def test_earliest_of_several_notices_opens_the_claim_and_outstanding_is_taken_at_it(con):
    defaulted_loan(con)
    # the borrower repays 100,000 of principal on 07-01, before the first notice, and 50,000 after it
    add_repayment(con, "L1", "2025-07-01", "100000.00", "0")
    add_repayment(con, "L1", "2025-08-15", "50000.00", "0")
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    add_event(con, "L1", "2025-08-30", "compensation_notice")
    row = claim(con, "2025-09-01")
    assert row["notice_on"] == dt.date(2025, 8, 9)
    assert row["notice_count"] == 2
    assert row["deadline"] == dt.date(2025, 9, 3)
    # outstanding at 08-09 = 1,000,000 − 100,000 = 900,000; × 0.70 = 630,000; × 0.10 = 90,000
    assert row["outstanding_at_notice"] == D("900000.00")
    assert (row["expected_guarantor"], row["expected_appraiser"]) == (D("630000.00"), D("90000.00"))


def test_direct_pledge_notice_is_the_banks_own_disposal_not_a_guarantor_claim(con):
    defaulted_loan(con, pledge_mode="direct", guarantor=None)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    row = claim(con, "2025-12-31")
    assert row["bank_disposal"] is True
    assert row["status"] == "bank_disposal"
    assert row["deadline"] is None and row["days_left"] is None
    assert (row["expected_guarantor"], row["expected_appraiser"]) == (D("0.00"), D("0.00"))
