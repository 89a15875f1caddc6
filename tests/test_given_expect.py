"""Given/expect cases, one test function per query (harness: tests/given_expect.py).

Each case: a few ledger rows, the parameters, the exact rows the query must return (only the columns
that matter). Every expected value is worked out by hand in the comment above it, from RULES.md and
the anyi profile (tolerance 0.01, overdue from 1 DPD, warning above 4 %, halt above 5 %, claims from
60 DPD with 25 days' grace, loss shares guarantor 0.70 / appraiser 0.10). Ledger.loan defaults:
rate 4.00 %, BankA, guarantor GuarA (indirect pledge; guarantor=None makes it direct), appraised at
twice the principal, no fees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from given_expect import Case, run

D = Decimal


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def ids(case: Case) -> str:
    return case.name


def check(case: Case, tmp_path) -> None:
    assert run(case, tmp_path) == case.expect


# ---------------------------------------------------------------- dpd/snapshot (R-OUT, R-DPD)

def merged(*parts: dict) -> dict:
    """The given rows of several parts, ledger by ledger."""
    out: dict[str, list] = {}
    for part in parts:
        for name, rows in part.items():
            out.setdefault(name, []).extend(rows)
    return out


THREE_LOANS = {
    "loans": [
        dict(loan_id="A", principal="10000", disbursed_on="2024-01-01", matures_on="2024-12-31"),
        dict(loan_id="B", principal="20000", disbursed_on="2024-01-01", matures_on="2024-12-31"),
        dict(loan_id="C", principal="5000", disbursed_on="2023-12-10", matures_on="2024-02-10"),
    ],
    "schedule": [
        ("A", "2024-02-01", "0", "50.00"), ("A", "2024-03-01", "0", "50.00"), ("A", "2024-12-31", "10000", "0"),
        ("B", "2024-02-01", "0", "80.00"), ("B", "2024-03-01", "0", "80.00"), ("B", "2024-12-31", "20000", "0"),
        ("C", "2024-01-10", "0", "20.00"), ("C", "2024-02-10", "5000", "20.00"),
    ],
    "repayments": [
        ("A", "2024-02-01", "0", "50.00"), ("A", "2024-03-01", "0", "50.00"),
        ("A", "2024-03-10", "2000.00", "0"),                       # a principal prepayment
        ("B", "2024-02-01", "0", "80.00"),                         # March interest never paid
        ("C", "2024-01-10", "0", "20.00"), ("C", "2024-02-10", "0", "20.00"),
        ("C", "2024-02-20", "1000.00", "0"),                       # 1,000 of the 5,000 due 10 Feb
    ],
}

DPD_SNAPSHOT = [
    # At the end of 2024-03-15:
    # A: every due paid on its date; outstanding 10,000 − 2,000 prepaid = 8,000; DPD 0 → current, normal.
    # B: interest cum_due(1 Mar) = 160 > 80 paid + 0.01 → oldest unpaid 1 Mar; 15 Mar − 1 Mar = 14 DPD
    #    (interest stream; nothing of the principal is due yet); outstanding the whole 20,000; 1-29.
    # C: principal cum_due(10 Feb) = 5,000 > 1,000 paid + 0.01 → 10 Feb → 15 Mar = 19 (Feb 2024 has 29
    #    days) + 15 = 34 DPD; both interest dues paid: interest stream 0; outstanding 4,000; 30-59.
    Case("three_loans_outstanding_and_dpd", "dpd/snapshot", THREE_LOANS, params={"as_of": "2024-03-15"}, expect=[
        {"loan_id": "A", "outstanding": D("8000.00"), "dpd_principal": 0, "dpd_interest": 0, "dpd": 0,
         "oldest_unpaid_due": None, "active": True, "overdue": False, "bucket": "current", "risk_class": "normal"},
        {"loan_id": "B", "outstanding": D("20000.00"), "dpd_principal": 0, "dpd_interest": 14, "dpd": 14,
         "oldest_unpaid_due": day("2024-03-01"), "active": True, "overdue": True, "bucket": "1-29",
         "risk_class": "special_mention"},
        {"loan_id": "C", "outstanding": D("4000.00"), "dpd_principal": 34, "dpd_interest": 0, "dpd": 34,
         "oldest_unpaid_due": day("2024-02-10"), "active": True, "overdue": True, "bucket": "30-59",
         "risk_class": "special_mention"},
    ]),
    # At the end of 2024-02-10 (C's principal due date): C owes 5,000 but is not late on its own due
    # date (R-DPD), and B's March interest is not due yet: all three DPD 0, nothing prepaid yet.
    Case("due_date_itself_is_not_late", "dpd/snapshot", THREE_LOANS, params={"as_of": "2024-02-10"}, expect=[
        {"loan_id": "A", "outstanding": D("10000.00"), "dpd": 0, "overdue": False},
        {"loan_id": "B", "outstanding": D("20000.00"), "dpd": 0, "overdue": False},
        {"loan_id": "C", "outstanding": D("5000.00"), "dpd": 0, "overdue": False},
    ]),
]


@pytest.mark.parametrize("case", DPD_SNAPSHOT, ids=ids)
def test_dpd_snapshot(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- ratio/summary (R-NPL, R-HALT)

def two_loans(performing: str, late: str) -> dict:
    """P performs (principal due at maturity only); Q owes 100.00 interest on 2024-02-01, never paid."""
    return {
        "loans": [dict(loan_id="P", principal=performing, disbursed_on="2024-01-01", matures_on="2024-12-31"),
                  dict(loan_id="Q", principal=late, disbursed_on="2024-01-01", matures_on="2024-12-31")],
        "schedule": [("P", "2024-12-31", performing, "0"),
                     ("Q", "2024-02-01", "0", "100.00"), ("Q", "2024-12-31", late, "0")],
    }


RATIO_SUMMARY = [
    # THREE_LOANS at 2024-03-15: active 8,000 + 20,000 + 4,000 = 32,000; overdue B + C (whole
    # outstanding) = 24,000; ratio 24,000 / 32,000 = 0.75 > 0.05: breach, halted. The first breach
    # day: end of 10 Feb nothing late; end of 11 Feb C is 1 DPD with 5,000 of 35,000 active (14.3 %).
    # headroom = 0.05 × 32,000 − 24,000 = 1,600 − 24,000 = −22,400.
    Case("three_loans_halted", "ratio/summary", THREE_LOANS, params={"as_of": "2024-03-15"}, expect=[
        {"active_balance": D("32000.00"), "overdue_balance": D("24000.00"), "npl_ratio": D("0.75"),
         "active_loans": 3, "overdue_loans": 2, "breach": True, "status": "halted", "halted": True,
         "halted_since": day("2024-02-11"), "headroom": D("-22400")},
    ]),
    # Q 45,000 late of 1,000,000: 0.045, inside the warning band 0.04 < r ≤ 0.05; no breach ever, so
    # not halted. headroom = 0.05 × 1,000,000 − 45,000 = 5,000.
    Case("warning_band", "ratio/summary", two_loans("955000", "45000"), params={"as_of": "2024-02-15"}, expect=[
        {"active_balance": D("1000000.00"), "overdue_balance": D("45000.00"), "npl_ratio": D("0.045"),
         "breach": False, "status": "warning", "halted": False, "halted_since": None, "headroom": D("5000")},
    ]),
    # Q 40,000 of 1,000,000 = 0.04 exactly: the band starts above 0.04, so normal; headroom 50,000 −
    # 40,000 = 10,000.
    Case("exactly_four_percent_is_normal", "ratio/summary", two_loans("960000", "40000"),
         params={"as_of": "2024-02-15"}, expect=[
             {"npl_ratio": D("0.04"), "breach": False, "status": "normal", "headroom": D("10000")},
         ]),
    # Same ledger with the warning threshold lowered to 0.03 by the profile: 0.04 is in the band.
    Case("warning_threshold_from_the_profile", "ratio/summary", two_loans("960000", "40000"),
         params={"as_of": "2024-02-15", "profile": {"npl_warning_threshold": "0.03"}}, expect=[
             {"npl_ratio": D("0.04"), "status": "warning"},
         ]),
]


@pytest.mark.parametrize("case", RATIO_SUMMARY, ids=ids)
def test_ratio_summary(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- halt/halt_episodes (R-HALT)

HALT_EPISODES = [
    # X 900,000 performs; Y 100,000 owes 500.00 interest on 2024-03-05, paid 2024-03-20.
    # Y is 1 DPD at the end of 6 Mar: 100,000 / 1,000,000 = 10 % > 5 %: breach, halted from 6 Mar.
    # Paid on 20 Mar: the ratio falls to 0 but the halt stays until the resume of 25 Mar, so the
    # last halted day is 24 Mar; 25 Mar is not a breach day: not resumed while breached.
    # The resume of 1 Mar comes before any breach and ends nothing. The halt decision of 10 Apr halts
    # again with the ratio at 0; no resume follows, so at the series end (10 Apr, the latest ledger
    # date) it is still in force: no end_on, no resume_on.
    Case("breach_then_resume_then_a_halt_decision", "halt/halt_episodes", {
        "loans": [dict(loan_id="X", principal="900000", disbursed_on="2024-01-01", matures_on="2024-12-31"),
                  dict(loan_id="Y", principal="100000", disbursed_on="2024-01-01", matures_on="2024-12-31")],
        "schedule": [("X", "2024-12-31", "900000", "0"),
                     ("Y", "2024-03-05", "0", "500.00"), ("Y", "2024-12-31", "100000", "0")],
        "repayments": [("Y", "2024-03-20", "0", "500.00")],
        "decisions": [("2024-03-01", "resume"), ("2024-03-25", "resume"), ("2024-04-10", "halt")],
    }, expect=[
        {"start_on": day("2024-03-06"), "end_on": day("2024-03-24"), "resume_on": day("2024-03-25"),
         "resume_while_breached": False},
        {"start_on": day("2024-04-10"), "end_on": None, "resume_on": None},
    ]),
]


@pytest.mark.parametrize("case", HALT_EPISODES, ids=ids)
def test_halt_episodes(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- alert60/alerts (R-ALERT60)

def interest_unpaid_since(loan_id: str, due_on: str, **loan) -> dict:
    """10,000 disbursed 2024-03-01; 10.00 interest due on due_on, never paid; principal at 2024-12-31."""
    return {"loans": [dict(loan_id=loan_id, principal="10000", disbursed_on="2024-03-01", matures_on="2024-12-31",
                           **loan)],
            "schedule": [(loan_id, due_on, "0", "10.00"), (loan_id, "2024-12-31", "10000", "0")]}


ALERTS = [
    # At the end of 2024-06-30, each loan's only unpaid due is 10.00 of interest:
    # D61 (direct pledge) due 30 Apr: 30 Apr → 31 May = 31, → 30 Jun = 30: 61 DPD; alert_since =
    #     30 Apr + 60 = 29 Jun; no guarantor, so the action is the bank's own disposal.
    # M60 due 1 May: 30 + 30 = 60 DPD, on the list (inclusive); alert_since 1 May + 60 = 30 Jun;
    #     indirect: a compensation claim.
    # M59 due 2 May: 59 DPD, not on the list.
    Case("fifty_nine_is_not_sixty", "alert60/alerts", merged(
        interest_unpaid_since("D61", "2024-04-30", guarantor=None),
        interest_unpaid_since("M59", "2024-05-02"),
        interest_unpaid_since("M60", "2024-05-01"),
    ), params={"as_of": "2024-06-30"}, expect=[
        {"loan_id": "D61", "outstanding": D("10000.00"), "dpd": 61, "oldest_unpaid_due": day("2024-04-30"),
         "alert_since": day("2024-06-29"), "action": "disposal"},
        {"loan_id": "M60", "outstanding": D("10000.00"), "dpd": 60, "oldest_unpaid_due": day("2024-05-01"),
         "alert_since": day("2024-06-30"), "action": "compensation_claim"},
    ]),
]


@pytest.mark.parametrize("case", ALERTS, ids=ids)
def test_alert60_alerts(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- claims/claims (R-COMP)

def defaulted(loan_id: str) -> dict:
    """100,000 disbursed 2025-01-10, one due 2025-05-10 (100,000 + 1,000 interest), never paid."""
    return {"loans": [dict(loan_id=loan_id, principal="100000", disbursed_on="2025-01-10", matures_on="2025-05-10")],
            "schedule": [(loan_id, "2025-05-10", "100000", "1000.00")]}


CLAIMS = [
    # As of 2025-09-10. Outstanding at each notice: the whole 100,000 (nothing repaid), so expected
    # guarantor 100,000 × 0.70 = 70,000.00 and appraiser × 0.10 = 10,000.00.
    # LATE: notice 1 Aug, deadline 1 Aug + 25 = 26 Aug < 10 Sep, nothing received: late, days_left
    #       26 Aug − 10 Sep = −15. DPD at the notice: 10 May → 1 Aug = 21 + 30 + 31 + 1 = 83 ≥ 60.
    # PEND: notice 20 Aug, deadline 14 Sep ≥ 10 Sep: pending, 4 days left; DPD at notice 83 + 19 = 102.
    # SETT: notice 1 Aug; guarantor paid 70,000.00 on 15 Aug, appraiser 9,999.99 on 18 Aug (0.01 short
    #       = the tolerance): settled on 18 Aug, the day the last party reached its amount; no days_left.
    Case("pending_late_settled", "claims/claims", merged(defaulted("LATE"), defaulted("PEND"), defaulted("SETT"), {
        "events": [("LATE", "2025-08-01", "compensation_notice"),
                   ("PEND", "2025-08-20", "compensation_notice"),
                   ("SETT", "2025-08-01", "compensation_notice"),
                   ("SETT", "2025-08-15", "compensation", "70000.00", "guarantor"),
                   ("SETT", "2025-08-18", "compensation", "9999.99", "appraiser")],
    }), params={"as_of": "2025-09-10"}, expect=[
        {"loan_id": "LATE", "notice_on": day("2025-08-01"), "deadline": day("2025-08-26"), "status": "late",
         "days_left": -15, "dpd_at_notice": 83, "premature": False, "outstanding_at_notice": D("100000.00"),
         "expected_guarantor": D("70000.00"), "expected_appraiser": D("10000.00"),
         "received_guarantor": D("0.00"), "received_appraiser": D("0.00"), "settled_on": None},
        {"loan_id": "PEND", "notice_on": day("2025-08-20"), "deadline": day("2025-09-14"), "status": "pending",
         "days_left": 4, "dpd_at_notice": 102, "premature": False, "outstanding_at_notice": D("100000.00"),
         "expected_guarantor": D("70000.00"), "expected_appraiser": D("10000.00"),
         "received_guarantor": D("0.00"), "received_appraiser": D("0.00"), "settled_on": None},
        {"loan_id": "SETT", "notice_on": day("2025-08-01"), "deadline": day("2025-08-26"), "status": "settled",
         "days_left": None, "dpd_at_notice": 83, "premature": False, "outstanding_at_notice": D("100000.00"),
         "expected_guarantor": D("70000.00"), "expected_appraiser": D("10000.00"),
         "received_guarantor": D("70000.00"), "received_appraiser": D("9999.99"),
         "settled_on": day("2025-08-18")},
    ]),
]


@pytest.mark.parametrize("case", CLAIMS, ids=ids)
def test_claims_claims(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- compliance (C1–C11)

COMPLIANCE = [
    # Terms (terms_base.sql: C1–C6, C11), every rule run. T1: 600,000 at 3.50 % disbursed 2025-06-01
    # (LPR 3.00 % + 0.50 % = 3.50 %: C4 passes), maturing 2026-06-01 (C2 passes), guarantor GuarA (C11).
    # C3: pledge value = the lower of 1,000,000 appraised and 999,999.99 fair = 999,999.99;
    #     × 0.60 = 599,999.994 < 600,000: fails.
    # C5: guarantee fee 6,000.01 > 0.01 × 600,000 = 6,000.00: fails. C6: appraisal fee 6,000.00: passes.
    # Its generated interest, due 1 Jul and unpaid, halts the program from 2 Jul; C10 looks at the end of
    # 31 May, before any loan: normal.
    Case("terms_c3_and_c5", "compliance/exceptions", {"loans": [
        dict(loan_id="T1", principal="600000", disbursed_on="2025-06-01", matures_on="2026-06-01", rate="0.0350",
             appraised_value="1000000", fair_value="999999.99", guarantee_fee="6000.01", appraisal_fee="6000.00"),
    ]}, params={"as_of": "2025-12-31"}, expect=[
        {"loan_id": "T1", "rule": "C3", "item": None, "actual_value": D("600000"), "limit_value": D("599999.994")},
        {"loan_id": "T1", "rule": "C5", "item": None, "actual_value": D("6000.01"), "limit_value": D("6000")},
    ]),
    # C7, one enterprise (credit code E7), 2025 in (disbursed_on, loan_id) order: K-A 7,000,000;
    # K-B 3,000,000 takes the year to 10,000,000 exactly (inclusive cap: passes); K-C 0.01 the same day
    # with a later id takes it to 10,000,000.01: flagged. K-D in 2026 starts a new year: passes.
    Case("c7_annual_cap", "compliance/exceptions", {"loans": [
        dict(loan_id="K-A", principal="7000000", disbursed_on="2025-02-01", matures_on="2026-02-01", credit_code="E7"),
        dict(loan_id="K-B", principal="3000000", disbursed_on="2025-04-01", matures_on="2026-04-01", credit_code="E7"),
        dict(loan_id="K-C", principal="0.01", disbursed_on="2025-04-01", matures_on="2026-04-01", credit_code="E7"),
        dict(loan_id="K-D", principal="5000000", disbursed_on="2026-01-02", matures_on="2027-01-02", credit_code="E7"),
    ]}, params={"as_of": "2026-12-31", "rules": ("C7",)}, expect=[
        {"loan_id": "K-C", "rule": "C7", "item": "2025", "actual_value": D("10000000.01"),
         "limit_value": D("10000000")},
    ]),
    # C8, P1 disbursed 2025-06-01: patents must expire on or after 2028-06-01. ZL-A (invention patent)
    # expires exactly then: passes; ZL-B (utility model) a day earlier: fails; TM-C is a trademark:
    # not checked although it expires in 2026.
    Case("c8_patent_term", "compliance/exceptions", {
        "loans": [dict(loan_id="P1", principal="100000", disbursed_on="2025-06-01", matures_on="2026-06-01")],
        "collateral": [dict(loan_id="P1", ip_number="ZL-A", ip_type="invention_patent", ip_expires_on="2028-06-01"),
                       dict(loan_id="P1", ip_number="ZL-B", ip_type="utility_model", ip_expires_on="2028-05-31"),
                       dict(loan_id="P1", ip_number="TM-C", ip_type="trademark", ip_expires_on="2026-01-01")],
    }, params={"as_of": "2025-12-31", "rules": ("C8",)}, expect=[
        {"loan_id": "P1", "rule": "C8", "item": "ZL-B", "actual_on": day("2028-05-31"), "limit_on": day("2028-06-01")},
    ]),
    # C9, enterprise Z9: notice on loan N dated 2024-02-29; the ban runs to 29 Feb + 3 years = 28 Feb
    # 2027 (no 29 Feb in 2027), inclusive. SAME (disbursed on the notice day: the window starts after
    # it) passes, LAST (28 Feb 2027) is inside: flagged, NEXT (1 Mar 2027) passes.
    Case("c9_ban_window", "compliance/exceptions", {
        "loans": [
            dict(loan_id="N", principal="100000", disbursed_on="2023-06-01", matures_on="2024-06-01", credit_code="Z9"),
            dict(loan_id="SAME", principal="1000", disbursed_on="2024-02-29", matures_on="2025-02-28", credit_code="Z9"),
            dict(loan_id="LAST", principal="1000", disbursed_on="2027-02-28", matures_on="2028-02-28", credit_code="Z9"),
            dict(loan_id="NEXT", principal="1000", disbursed_on="2027-03-01", matures_on="2028-03-01", credit_code="Z9"),
        ],
        "events": [("N", "2024-02-29", "compensation_notice")],
    }, params={"as_of": "2027-12-31", "rules": ("C9",)}, expect=[
        {"loan_id": "LAST", "rule": "C9", "item": "N", "actual_on": day("2024-02-29"), "limit_on": day("2027-02-28")},
    ]),
    # C10: H1 (1,000,000) owes 1,000.00 interest on 2025-03-01, paid 2025-03-05; resume decided
    # 2025-03-10. End of 2 Mar: 1 DPD, the only active loan: ratio 100 %: breach, halted from 2 Mar;
    # paid 5 Mar, but halted until the resume: halted at the end of 2 … 9 Mar, normal from 10 Mar.
    # N1 (5 Mar) looks at the end of 4 Mar: halted; N2 (10 Mar, the resume day itself) at the end of
    # 9 Mar: halted; N3 (11 Mar) at the end of 10 Mar: normal. actual_on = the day looked at.
    Case("c10_halt_until_the_resume", "compliance/exceptions", {
        "loans": [
            dict(loan_id="H1", principal="1000000", disbursed_on="2025-01-10", matures_on="2026-01-10", rate="0.036"),
            dict(loan_id="N1", principal="1000", disbursed_on="2025-03-05", matures_on="2026-03-05"),
            dict(loan_id="N2", principal="1000", disbursed_on="2025-03-10", matures_on="2026-03-10"),
            dict(loan_id="N3", principal="1000", disbursed_on="2025-03-11", matures_on="2026-03-11"),
        ],
        "schedule": [("H1", "2025-03-01", "0", "1000.00"), ("H1", "2026-01-10", "1000000", "0")],
        "repayments": [("H1", "2025-03-05", "0", "1000.00")],
        "decisions": [("2025-03-10", "resume")],
    }, params={"as_of": "2025-03-31", "rules": ("C10",)}, expect=[
        {"loan_id": "N1", "rule": "C10", "item": "halted", "actual_on": day("2025-03-04")},
        {"loan_id": "N2", "rule": "C10", "item": "halted", "actual_on": day("2025-03-09")},
    ]),
]


@pytest.mark.parametrize("case", COMPLIANCE, ids=ids)
def test_compliance_exceptions(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- subsidies/eligible (R-SUB)

def repaid(loan_id: str, paid_on: str) -> dict:
    """100,000 disbursed 2025-01-15, one due 2025-07-15 (100,000 + 1,800 interest) paid in full on
    paid_on; appraisal fee 800, guarantee fee 1,000."""
    return {"loans": [dict(loan_id=loan_id, principal="100000", disbursed_on="2025-01-15", matures_on="2025-07-15",
                           appraisal_fee="800.00", guarantee_fee="1000.00")],
            "schedule": [(loan_id, "2025-07-15", "100000", "1800.00")],
            "repayments": [(loan_id, paid_on, "100000", "1800.00")]}


SUBSIDIES = [
    # Policy 2025 (confirmed): interest 0.5, appraisal fee 0.25, guarantee fee 0.3, on time required.
    # S1 repaid on its due date, by the borrower, in 2025: interest 1,800 × 0.5 = 900.00; appraisal
    # 800 × 0.25 = 200.00; guarantee 1,000 × 0.3 = 300.00 (no cap). S2 paid two days late: 1 DPD at
    # the end of 16 Jul, so never eligible: no rows.
    Case("one_eligible_loan", "subsidies/eligible", merged(repaid("S1", "2025-07-15"), repaid("S2", "2025-07-17")),
         params={"as_of": "2025-12-31", "subsidy_policy": [
        {"year": 2025, "interest_share": "0.5", "appraisal_fee_share": "0.25", "guarantee_fee_share": "0.3",
         "require_on_time": True, "source": "test 2025", "confirmed": True},
    ]}, expect=[
        {"loan_id": "S1", "kind": "interest", "amount": D("900.00"), "year": 2025, "paid_off_on": day("2025-07-15"),
         "confirmed": True},
        {"loan_id": "S1", "kind": "appraisal_fee", "amount": D("200.00"), "year": 2025,
         "paid_off_on": day("2025-07-15"), "confirmed": True},
        {"loan_id": "S1", "kind": "guarantee_fee", "amount": D("300.00"), "year": 2025,
         "paid_off_on": day("2025-07-15"), "confirmed": True},
    ]),
]


@pytest.mark.parametrize("case", SUBSIDIES, ids=ids)
def test_subsidies_eligible(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------- the harness itself

def test_the_harness_fails_on_a_wrong_value_an_unknown_column_or_an_unexpected_row(tmp_path):
    case = ALERTS[0]
    wrong = Case("wrong", case.query, case.given, [{**case.expect[0], "dpd": 62}, case.expect[1]], case.params)
    missing = Case("missing", case.query, case.given, case.expect[:1], case.params)
    assert run(wrong, tmp_path) != wrong.expect
    got = run(missing, tmp_path)
    # the row nobody expected comes back whole, so that the failure shows what it is
    assert len(got) == 2 and got[1]["loan_id"] == "M60" and "enterprise_name" in got[1]
    with pytest.raises(KeyError):
        run(Case("no_such_column", case.query, case.given, [{"loan_id": "D61", "nope": 1}], case.params), tmp_path)
