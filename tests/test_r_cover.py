"""R-COVER golden cases by hand: pledge value after losses, ltv, under-secured and uncovered."""

from __future__ import annotations

from decimal import Decimal

from collateral_fixtures import PROFILE, book
from engine_fixtures import Ledger

from queries import collateral

A, B, C = "ZL201910000001.1", "ZL201910000002.X", "TM-3"
LOST = ("2024-04-01", "invalidated", None)


def row(con, loan_id="L1", as_of="2024-06-30"):
    cov = collateral.coverage(con, as_of, PROFILE)
    return cov[cov["loan_id"] == loan_id].iloc[0].to_dict()


def items(*values, loan_id="L1"):
    numbers = (A, B, C)
    return [(loan_id, "invention_patent" if n != C else "trademark", n, "2039-01-01", v, None)
            for n, v in zip(numbers, values, strict=False)]


def test_coverage_of_exactly_60_percent_is_not_under_secured():
    # pledge value 1,000,000 over items worth 600,000 and 400,000; the 400,000 one is lost: 600,000 left;
    # 360,000 outstanding is exactly 60 % of it
    con = book(Ledger().loan("L1", "360000", "2024-03-01", "2025-02-28"), items(600000, 400000),
               [(B, *LOST)], values={"L1": (1000000, None)})
    got = row(con)
    assert (got["pledge_value"], got["ltv"], got["under_secured"], got["uncovered"]) == (
        Decimal("600000.00"), Decimal("0.6"), False, Decimal("0.00"))
    con = book(Ledger().loan("L1", "360000.01", "2024-03-01", "2025-02-28"), items(600000, 400000),
               [(B, *LOST)], values={"L1": (1000000, None)})
    got = row(con)
    assert (got["under_secured"], got["uncovered"]) == (True, Decimal("0.01"))
    assert got["ltv"] == Decimal("0.600000016666666667")   # 360,000.01 / 600,000, unrounded to 18 places


def test_items_without_values_count_equally():
    # one of three items has no value: each weighs 1, so losing one keeps 2/3 whatever their values
    con = book(Ledger().loan("L1", "50000", "2024-03-01", "2025-02-28"), items(900000, None, 100),
               [(A, *LOST)], values={"L1": ("100000.01", None)})
    got = row(con)
    exact = Decimal("100000.01") * 2 / 3                      # 66,666.6733…, not rounded before use
    assert got["pledge_value"] == Decimal("66666.67")
    assert got["ltv"] == (Decimal(50000) / exact).quantize(Decimal("1e-18"))
    # 50,000 − 0.6 × 66,666.67333… = 9,999.9960 → 10,000.00
    assert (got["under_secured"], got["uncovered"]) == (True, Decimal("10000.00"))
    assert (got["items"], got["lost_items"], got["has_lost"]) == (3, 1, True)


def test_values_weigh_when_every_item_has_one_and_the_lower_of_appraised_and_fair_is_the_base():
    con = book(Ledger().loan("L1", "100000", "2024-03-01", "2025-02-28"), items(300000, 100000),
               [(B, *LOST)], values={"L1": (1000000, 800000)})
    got = row(con)
    assert got["pledge_value"] == Decimal("600000.00")        # 800,000 × 300,000 / 400,000
    assert got["ltv"] == Decimal("0.166666666666666667")


def test_all_items_lost_leaves_no_pledge_value_and_everything_uncovered():
    con = book(Ledger().loan("L1", "250000", "2024-03-01", "2025-02-28"), items(600000),
               [(A, *LOST)])
    got = row(con)
    assert (got["pledge_value"], got["ltv"], got["under_secured"], got["uncovered"]) == (
        Decimal("0.00"), None, True, Decimal("250000.00"))


def test_a_loan_without_items_keeps_its_full_pledge_value():
    con = book(Ledger().loan("L1", "300000", "2024-03-01", "2025-02-28"))   # appraised = 2 × principal
    got = row(con)
    assert (got["pledge_value"], got["ltv"], got["under_secured"]) == (Decimal("600000.00"), Decimal("0.5"), False)


def test_totals_sum_the_outstanding_of_loans_with_lost_or_at_risk_ip_and_the_uncovered():
    ledger = (Ledger().loan("L1", "500000", "2024-03-01", "2025-02-28")
              .loan("L2", "200000", "2024-03-01", "2025-02-28")
              .loan("L3", "100000", "2024-03-01", "2025-02-28")
              .pay("L3", "2024-05-01", principal_paid="100000"))     # repaid: left out
    con = book(ledger, [*items(500000, 500000), ("L2", "invention_patent", "ZL202010000003.8", "2039-01-01", 1, None),
                        ("L3", "invention_patent", "ZL202010000004.X", "2039-01-01", 1, None)],
               [(A, *LOST), ("ZL202010000003.8", "2024-05-01", "invalidation_requested", None),
                ("ZL202010000004.X", *LOST)], values={"L1": (1000000, None)})
    t = collateral.totals(con, "2024-06-30", PROFILE)
    # L1: 500,000 on 500,000 left: 500,000 − 300,000 = 200,000 uncovered; L2 at risk, 200,000 on 400,000
    assert (t["lost_balance"], t["at_risk_balance"], t["uncovered"]) == (
        Decimal("500000.00"), Decimal("200000.00"), Decimal("200000.00"))
    assert (t["lost_loans"], t["at_risk_loans"], t["under_secured_loans"]) == (1, 1, 1)
    sections = collateral.report_sections(con, "2024-06-30", PROFILE)
    assert sections["coverage"] == [
        {"loan_id": "L1", "pledge_value": Decimal("500000.00"), "ltv": Decimal("1"), "uncovered": Decimal("200000.00")},
        {"loan_id": "L2", "pledge_value": Decimal("400000.00"), "ltv": Decimal("0.5"), "uncovered": Decimal("0.00")}]
    assert sections["collateral"] == [
        {"loan_id": "L1", "ip_number": A, "status": "invalidated", "watch": None, "lost": True, "at_risk": False},
        {"loan_id": "L2", "ip_number": "ZL202010000003.8", "status": "invalidation_requested", "watch": None,
         "lost": False, "at_risk": True}]
