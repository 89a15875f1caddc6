"""R-SUB subsidies: eligibility, bases, caps (interest cut first), unconfirmed years, paid vs eligible.

Loans are built with one supplied due at maturity repaid on that day (on time) unless a test says
otherwise; policies are given per test so the arithmetic is visible, except the shipped-profile test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from obligation_fixtures import (
    D,
    add_collateral,
    add_event,
    add_loan,
    add_repaid_loan,
    add_repayment,
    add_schedule,
    add_subsidy_paid,
)

from pipelines import profile
from queries import subsidies

ANYI = profile.load("anyi")


def policy(*rows) -> profile.Profile:
    return dataclasses.replace(ANYI, extra={"subsidy_policy": list(rows)})


def year(y, **kw):
    return {"year": y, "source": f"test {y}", "confirmed": True, **kw}


def amounts(frame, key=("loan_id", "kind")):
    return {tuple(r[k] for k in key): r["amount"] for r in frame.to_dict("records")}


@pytest.mark.parametrize(("cap", "expected"), [
    # shares 0.5: interest 16,000 → 8,000; appraisal 4,000 → 2,000; guarantee 6,000 → 3,000; total 13,000
    (None, {"interest": D("8000.00"), "appraisal_fee": D("2000.00"), "guarantee_fee": D("3000.00")}),
    # cap 10,000: the 3,000 excess comes off interest: 5,000
    ("10000", {"interest": D("5000.00"), "appraisal_fee": D("2000.00"), "guarantee_fee": D("3000.00")}),
    # cap 4,000: interest goes to 0, the remaining 1,000 excess comes off the appraisal fee next
    ("4000", {"interest": D("0.00"), "appraisal_fee": D("1000.00"), "guarantee_fee": D("3000.00")}),
])
def test_yearly_cap_cuts_the_interest_part_first(con, cap, expected):
    add_repaid_loan(con, "L1", "2025-01-10", "2025-07-10", interest="16000.00", appraisal_fee="4000.00",
                    guarantee_fee="6000.00")
    rows = {"interest_share": D("0.5"), "appraisal_fee_share": D("0.5"), "guarantee_fee_share": D("0.5")}
    if cap:
        rows["cap_per_enterprise"] = D(cap)
    frame = subsidies.eligible(con, "2025-12-31", policy(year(2025, **rows)))
    assert {k: v for (_, k), v in amounts(frame).items()} == expected
    assert set(frame["year"]) == {2025} and all(frame["confirmed"])


def test_capped_amount_goes_to_the_earliest_repaid_loan_first(con):
    add_repaid_loan(con, "A", "2025-01-10", "2025-07-10", interest="16000.00")
    add_repaid_loan(con, "B", "2025-02-10", "2025-08-10", interest="16000.00")
    prof = policy(year(2025, interest_share=D("0.5"), cap_per_enterprise=D("10000")))
    # 8,000 + 8,000 = 16,000 over a cap of 10,000: A (repaid 07-10) keeps 8,000, B gets the 2,000 left
    frame = subsidies.eligible(con, "2025-12-31", prof)
    assert amounts(frame) == {("A", "interest"): D("8000.00"), ("B", "interest"): D("2000.00")}
    assert list(frame["uncapped_amount"]) == [D("8000.00"), D("8000.00")]
    by_ent = subsidies.by_enterprise(con, "2025-12-31", prof)
    assert by_ent.to_dict("records") == [{"year": 2025, "credit_code": "91360123MA35000001", "kind": "interest",
                                          "enterprise_name": "安义测试企业", "amount": D("10000.00"),
                                          "confirmed": True}]


@pytest.mark.parametrize(("paid_on", "required", "eligible"), [
    ("2025-03-11", True, True),     # paid the day after its due date: never DPD >= 1 (R-DPD)
    ("2025-03-12", True, False),    # 1 day past due at the end of 03-11
    ("2025-03-12", False, True),    # the year does not require it
])
def test_on_time_requirement_uses_r_dpd(con, paid_on, required, eligible):
    add_loan(con, "L1", disbursed_on="2025-01-10", matures_on="2025-07-10")
    add_schedule(con, "L1", "2025-03-10", "0", "2500.00")
    add_schedule(con, "L1", "2025-07-10", "1000000.00", "2500.00")
    add_repayment(con, "L1", paid_on, "0", "2500.00")
    add_repayment(con, "L1", "2025-07-10", "1000000.00", "2500.00")
    prof = policy(year(2025, interest_share=D("0.5"), require_on_time=required))
    # interest paid 5,000 × 0.5 = 2,500
    assert amounts(subsidies.eligible(con, "2025-12-31", prof)) == ({("L1", "interest"): D("2500.00")}
                                                                    if eligible else {})


def test_loans_not_repaid_by_the_borrower_are_not_eligible(con):
    # written off: the borrower's 900,000 never clears the principal
    add_loan(con, "WO", disbursed_on="2025-01-10", matures_on="2025-07-10")
    add_schedule(con, "WO", "2025-07-10", "1000000.00", "10000.00")
    add_repayment(con, "WO", "2025-07-10", "900000.00", "10000.00")
    add_event(con, "WO", "2025-09-01", "write_off", "100000.00", "bank")
    # compensated: a guarantor's payment took part of the principal
    add_repaid_loan(con, "COMP", "2025-01-10", "2025-07-10")
    add_event(con, "COMP", "2025-06-01", "compensation", "1.00", "guarantor")
    add_repaid_loan(con, "GOOD", "2025-01-10", "2025-07-10")
    prof = policy(year(2025, interest_share=D("0.5"), require_on_time=False))
    assert amounts(subsidies.eligible(con, "2025-12-31", prof)) == {("GOOD", "interest"): D("5000.00")}
    # and nothing before the final repayment: as of 2025-07-09 GOOD still owes its principal
    assert subsidies.eligible(con, "2025-07-09", prof).empty


def test_paid_off_day_counts_the_borrowers_repayments_only(con):
    # a guarantor's 500,000 on 2024-12-15 brings the loan's running principal to 1,000,000 on
    # 2024-12-20, but the borrower's own repayments clear it only on 2025-01-10
    add_loan(con, "MIX", disbursed_on="2024-06-01", matures_on="2025-01-10")
    add_schedule(con, "MIX", "2025-01-10", "1000000.00", "10000.00")
    add_event(con, "MIX", "2024-12-15", "compensation", "500000.00", "guarantor")
    add_repayment(con, "MIX", "2024-12-20", "500000.00", "0")
    add_repayment(con, "MIX", "2025-01-10", "500000.00", "10000.00")
    add_subsidy_paid(con, "MIX", "interest", "100.00", "2024-12-31")
    # two repayments on the day the borrower clears the principal, on a loan without events
    add_loan(con, "TWO", disbursed_on="2024-06-01", matures_on="2024-12-01")
    add_schedule(con, "TWO", "2024-12-01", "1000000.00", "10000.00")
    add_repayment(con, "TWO", "2024-11-30", "400000.00", "0")
    add_repayment(con, "TWO", "2024-12-01", "599999.99", "4000.00", txn_id="T1")
    add_repayment(con, "TWO", "2024-12-01", "0.01", "6000.00", txn_id="T2")
    add_subsidy_paid(con, "TWO", "interest", "200.00", "2025-02-01")
    prof = policy(year(2024, interest_share=D("0.5")))
    paid = subsidies.paid(con, "2025-12-31", prof).set_index("loan_id")
    assert (paid.loc["MIX", "year"], paid.loc["MIX", "year_basis"]) == (2025, "repayment")
    assert (paid.loc["TWO", "year"], paid.loc["TWO", "year_basis"]) == (2024, "repayment")
    # as of 2024-12-31 the borrower has not cleared MIX: its payment files under the year paid
    assert subsidies.paid(con, "2024-12-31", prof).set_index("loan_id").loc["MIX", "year_basis"] == "paid_on"
    # MIX was compensated: not eligible; TWO: 10,000 interest × 0.5, filed under 2024
    frame = subsidies.eligible(con, "2025-12-31", prof)
    assert amounts(frame) == {("TWO", "interest"): D("5000.00")}
    assert list(frame["paid_off_on"]) == [dt.date(2024, 12, 1)] and list(frame["year"]) == [2024]


@pytest.mark.parametrize(("interest_paid", "expected"), [
    # LPR in force on 2025-06-01: 3.00 %. 2025-06-01 → 2025-12-01 = 183 days.
    # 1,000,000 × 0.03 × 183 / 360 = 15,250.00 < 17,791.67 paid: base 15,250.00 × 0.20 = 3,050.00
    ("17791.67", D("3050.00")),
    # paid less than the LPR interest: the actual interest is the base: 1,000.00 × 0.20 = 200.00
    ("1000.00", D("200.00")),
])
def test_lpr_base_is_the_interest_at_the_lpr_when_lower(con, interest_paid, expected):
    add_repaid_loan(con, "L1", "2025-06-01", "2025-12-01", interest=interest_paid)
    prof = policy(year(2025, interest_share=D("0.20"), interest_base="lpr"))
    frame = subsidies.eligible(con, "2025-12-31", prof)
    assert amounts(frame) == {("L1", "interest"): expected}


def test_year_is_that_of_the_final_principal_repayment_and_carried_forward_years_are_unconfirmed(con):
    add_loan(con, "SPLIT", credit_code="A", disbursed_on="2024-06-01", matures_on="2025-01-10")
    add_schedule(con, "SPLIT", "2025-01-10", "1000000.00", "10000.00")
    add_repayment(con, "SPLIT", "2024-12-20", "500000.00", "0")
    add_repayment(con, "SPLIT", "2025-01-10", "500000.00", "10000.00")
    add_repaid_loan(con, "Y24", "2024-01-10", "2024-07-10", credit_code="B")
    prof = policy(year(2024, interest_share=D("0.5")))        # no 2025 row: 2024 carried forward
    frame = subsidies.eligible(con, "2025-12-31", prof).set_index("loan_id")
    assert (frame.loc["SPLIT", "year"], frame.loc["SPLIT", "policy_year"]) == (2025, 2024)
    assert not frame.loc["SPLIT", "confirmed"]
    assert frame.loc["Y24", "confirmed"]
    assert frame.loc["SPLIT", "amount"] == D("5000.00")       # 10,000 × 0.5


def test_interest_total_cap_runs_over_the_years_of_one_policy(con):
    add_repaid_loan(con, "A16", "2016-01-10", "2016-07-10", credit_code="E", interest="7000.00")
    add_repaid_loan(con, "A17", "2017-01-10", "2017-07-10", credit_code="E", interest="5000.00")
    add_repaid_loan(con, "B17", "2017-01-10", "2017-07-10", credit_code="F", interest="5000.00")
    prof = policy(year(2016, interest_share=D("1"), interest_cap_total_per_enterprise=D("10000")))
    # E: 7,000 in 2016; in 2017 only 10,000 − 7,000 = 3,000 of its 5,000 remain. F is not affected.
    assert amounts(subsidies.eligible(con, "2017-12-31", prof)) == {
        ("A16", "interest"): D("7000.00"), ("A17", "interest"): D("3000.00"), ("B17", "interest"): D("5000.00")}


def test_shipped_anyi_policy_pays_per_invention_patent_capped_and_says_unconfirmed(con):
    add_repaid_loan(con, "P", "2025-01-10", "2025-07-10")
    for i in range(8):
        add_collateral(con, "P", f"ZL2020100000{i:02d}", "invention_patent")
    add_collateral(con, "P", "ZL202020000001", "utility_model")      # not an invention patent
    frame = subsidies.eligible(con, "2025-12-31", ANYI)
    # 2025: 8 invention patents × 8,000 = 64,000, capped at 60,000 per enterprise a year
    assert amounts(frame) == {("P", "patent_pledge"): D("60000.00")}
    assert frame["uncapped_amount"][0] == D("64000.00") and frame["capped"][0]
    assert not frame["confirmed"][0]
    rows = {r["year"]: r for r in subsidies.policy_rows(ANYI)}
    assert rows[2015]["interest_cap_total_per_enterprise"] == D("500000.00")
    assert "江西省中小微企业知识产权质押融资管理办法" in rows[2015]["source"]
    assert not any(r["confirmed"] for r in rows.values())


def test_comparison_sets_paid_beside_eligible_under_the_eligibility_year(con):
    add_repaid_loan(con, "L1", "2025-01-10", "2025-07-10", interest="10000.00")
    add_repaid_loan(con, "L2", "2025-01-10", "2025-07-10", credit_code="OTHER", paid_on="2025-07-20")
    add_subsidy_paid(con, "L1", "interest", "4000.00", "2026-02-01")   # paid next year, for 2025
    add_subsidy_paid(con, "L2", "interest", "300.00", "2026-02-01")    # L2 was late: nothing eligible
    prof = policy(year(2025, interest_share=D("0.5")))
    paid = subsidies.paid(con, "2026-12-31", prof)
    assert list(paid["year"]) == [2025, 2025]
    comp = subsidies.comparison(con, "2026-12-31", prof)
    got = {(r["credit_code"], r["kind"]): (r["eligible"], r["paid"], r["difference"], r["confirmed"])
           for r in comp.to_dict("records")}
    # L1: eligible 10,000 × 0.5 = 5,000, paid 4,000: difference −1,000
    assert got == {("91360123MA35000001", "interest"): (D("5000.00"), D("4000.00"), D("-1000.00"), True),
                   ("OTHER", "interest"): (D("0.00"), D("300.00"), D("300.00"), True)}
    # as of 2026-01-31 nothing has been paid yet
    assert set(subsidies.comparison(con, "2026-01-31", prof)["paid"]) == {D("0.00")}
    assert comp["year"].tolist() == [2025, 2025]
