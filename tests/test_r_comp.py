"""R-COMP claims, R-LOSS loss sharing, R-BAN bans and renewal chains, on hand-built ledgers.

The defaulted loan used throughout: 1,000,000 yuan disbursed 2025-01-10, one supplied due on
2025-06-10 (principal 1,000,000 + interest 10,000), never paid. By R-DPD it is 1 day past due at
the end of 06-11, so DPD at date d = d − 2025-06-10: 59 on 08-08, 60 on 08-09 (June 10 → July 10 is
30 days, July 10 → Aug 9 is 30 more).
"""

from __future__ import annotations

import datetime as dt

import pytest
from obligation_fixtures import D, add_event, add_loan, add_repayment, add_schedule

from pipelines import profile, store
from queries import bans, claims, renewals

ANYI = profile.load("anyi")


@pytest.fixture
def con(db_path):
    with store.write_connection(db_path) as c:
        yield c


def defaulted_loan(con, loan_id="L1", principal="1000000.00", **kw):
    add_loan(con, loan_id, principal=principal, disbursed_on="2025-01-10", matures_on="2025-06-10", **kw)
    add_schedule(con, loan_id, "2025-06-10", principal, "10000.00")


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


def test_loss_and_recoveries_split_by_share_with_the_bank_taking_the_rounding(con):
    defaulted_loan(con, principal="333333.33")
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    add_event(con, "L1", "2025-10-01", "recovery", "1000.05", "bank")
    add_event(con, "L1", "2026-01-05", "recovery", "5000.00", "bank")   # after as_of: not yet
    rows = {r["party"]: r for r in claims.loss_sharing(con, "2025-12-31", ANYI).to_dict("records")}
    # loss 333,333.33: guarantor × 0.70 = 233,333.331 → 233,333.33; appraiser × 0.10 = 33,333.333
    # → 33,333.33; bank = 333,333.33 − 233,333.33 − 33,333.33 = 66,666.67
    assert rows["guarantor"]["loss_part"] == D("233333.33")
    assert rows["appraiser"]["loss_part"] == D("33333.33")
    assert rows["bank"]["loss_part"] == D("66666.67")
    # recovery 1,000.05: × 0.70 = 700.035 → 700.04 (half up); × 0.10 = 100.005 → 100.01;
    # bank = 1,000.05 − 700.04 − 100.01 = 200.00
    assert [rows[p]["recovery_part"] for p in ("guarantor", "appraiser", "bank")] == \
        [D("700.04"), D("100.01"), D("200.00")]
    # net = loss part − recovery part
    assert [rows[p]["net_loss"] for p in ("guarantor", "appraiser", "bank")] == \
        [D("232633.29"), D("33233.32"), D("66466.67")]
    assert sum(r["net_loss"] for r in rows.values()) == D("333333.33") - D("1000.05")


def test_direct_pledge_loss_is_the_banks_alone(con):
    defaulted_loan(con, pledge_mode="direct", guarantor=None)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    rows = {r["party"]: r for r in claims.loss_sharing(con, "2025-12-31", ANYI).to_dict("records")}
    assert (rows["bank"]["loss_part"], rows["guarantor"]["loss_part"], rows["appraiser"]["loss_part"]) == \
        (D("1000000.00"), D("0.00"), D("0.00"))


def test_ban_runs_to_the_same_calendar_day_three_years_later_and_29_february_ends_28_february(con):
    add_loan(con, "B1", credit_code="CODE-B", disbursed_on="2023-06-01", matures_on="2024-06-01")
    add_loan(con, "B2", credit_code="CODE-C", disbursed_on="2023-06-01", matures_on="2024-06-01")
    add_event(con, "B1", "2024-02-29", "compensation_notice")
    add_event(con, "B2", "2024-05-10", "compensation_notice")
    at_end = bans.bans(con, "2027-02-28", ANYI).to_dict("records")
    assert [(r["credit_code"], r["notice_on"], r["ban_until"], r["active"]) for r in at_end] == [
        ("CODE-B", dt.date(2024, 2, 29), dt.date(2027, 2, 28), True),
        ("CODE-C", dt.date(2024, 5, 10), dt.date(2027, 5, 10), True),
    ]
    assert [r["active"] for r in bans.bans(con, "2027-03-01", ANYI).to_dict("records")] == [False, True]
    # a notice dated after as_of does not exist yet
    assert list(bans.bans(con, "2024-05-09", ANYI)["credit_code"]) == ["CODE-B"]


def test_renewal_chains_number_each_renewal_from_the_original_loan(con):
    add_loan(con, "R1", disbursed_on="2023-03-01", matures_on="2024-03-01")
    add_loan(con, "R2", disbursed_on="2024-03-01", matures_on="2025-03-01", renewed_from="R1")
    add_loan(con, "R3", disbursed_on="2025-03-01", matures_on="2026-03-01", renewed_from="R2")
    add_loan(con, "S1", disbursed_on="2025-04-01", matures_on="2026-04-01")
    add_loan(con, "X1", disbursed_on="2025-04-01", matures_on="2026-04-01", renewed_from="X2")
    add_loan(con, "X2", disbursed_on="2025-04-01", matures_on="2026-04-01", renewed_from="X1")
    rows = {r["loan_id"]: r for r in renewals.renewal_chains(con).to_dict("records")}
    assert [(rows[k]["chain_id"], rows[k]["position"], rows[k]["chain_length"]) for k in ("R1", "R2", "R3", "S1")] == \
        [("R1", 1, 3), ("R1", 2, 3), ("R1", 3, 3), ("S1", 1, 1)]
    assert rows["R3"]["original_disbursed_on"] == dt.date(2023, 3, 1)
    # a renewed_from cycle has no original loan: reported, not looped over
    assert rows["X1"]["in_cycle"] and rows["X1"]["chain_id"] is None
