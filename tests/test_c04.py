"""Compliance checks C1–C11 at their exact boundaries, each with a loan on both sides of the line.

Defaults (tests/obligation_fixtures.py): 1,000,000 yuan at 3.50 %, disbursed 2025-06-01 (LPR 3.00 %
in force since 2025-05-20), maturing 2026-06-01, appraised 2,000,000, fees 10,000 each, indirect
pledge with guarantor G1 — a loan that breaks no rule. Each test changes only what it is about and
gives each loan its own credit code so that C7 stays out of the way.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from obligation_fixtures import D, add_collateral, add_event, add_loan, add_schedule

from pipelines import profile, store
from queries import compliance

ANYI = profile.load("anyi")


@pytest.fixture
def con(db_path):
    with store.write_connection(db_path) as c:
        yield c


def broken(con, as_of="2026-12-31", rules=compliance.RULES):
    """{loan_id: [rules…]} of every exception at as_of."""
    exc = compliance.exceptions(con, as_of, ANYI, rules=rules)
    out: dict[str, list[str]] = {}
    for loan_id, rule in zip(exc["loan_id"], exc["rule"], strict=True):
        out.setdefault(loan_id, []).append(rule)
    return out


def test_a_default_loan_breaks_nothing(con):
    add_loan(con, "OK")
    assert broken(con) == {}


@pytest.mark.parametrize(("principal", "fails"), [("10000000.00", False), ("10000000.01", True)])
def test_c1_single_loan_cap_is_inclusive(con, principal, fails):
    add_loan(con, "L", principal=principal, appraised_value="100000000", guarantee_fee=None, appraisal_fee=None)
    # (10,000,000.01 also takes the enterprise's year over its cap: C7, tested on its own below)
    assert broken(con, rules=("C1",)) == ({"L": ["C1"]} if fails else {})


@pytest.mark.parametrize(("disbursed_on", "matures_on", "fails"), [
    ("2025-06-01", "2026-06-01", False),   # same calendar day a year later
    ("2025-06-01", "2026-06-02", True),
    ("2024-02-29", "2025-02-28", False),   # 29 Feb + 1 year = 28 Feb
    ("2024-02-29", "2025-03-01", True),
])
def test_c2_term_ends_on_the_same_calendar_day(con, disbursed_on, matures_on, fails):
    add_loan(con, "L", disbursed_on=disbursed_on, matures_on=matures_on, annual_rate="0.0385")
    assert broken(con, rules=("C2",)) == ({"L": ["C2"]} if fails else {})


def test_c3_exactly_60_percent_of_the_lower_value_passes(con):
    add_loan(con, "AT60", credit_code="A", principal="1200000.00", appraised_value="2000000.00")
    add_loan(con, "OVER", credit_code="B", principal="1200000.01", appraised_value="2000000.00")
    # fair value lower than appraised: pledge value 1,900,000 × 0.60 = 1,140,000 < 1,200,000
    add_loan(con, "FAIR", credit_code="C", principal="1200000.00", appraised_value="2000000.00",
             fair_value="1900000.00")
    assert broken(con) == {"OVER": ["C3"], "FAIR": ["C3"]}
    exc = compliance.exceptions(con, "2026-12-31", ANYI).set_index("loan_id")
    assert exc.loc["FAIR", "limit_value"] == D("1140000")
    assert json.loads(exc.loc["FAIR", "detail"])["pledge_value"] == 1900000.00
    assert exc.loc["OVER", "actual_value"] == D("1200000.01")


@pytest.mark.parametrize(("disbursed_on", "rate", "lpr", "fails"), [
    ("2025-06-01", "0.0350", "0.03", False),   # LPR 3.00 % (2025-05-20) + 0.50 % = 3.50 %: passes
    ("2025-06-01", "0.0351", "0.03", True),
    ("2025-05-20", "0.0350", "0.03", False),   # the fixing is in force on its own effective day
    ("2025-05-19", "0.0360", "0.031", False),  # the day before: 3.10 % (2024-10-21) + 0.50 % = 3.60 %
    ("2025-05-19", "0.0361", "0.031", True),
])
def test_c4_rate_against_the_lpr_in_force_on_disbursement(con, disbursed_on, rate, lpr, fails):
    add_loan(con, "L", disbursed_on=disbursed_on, matures_on="2026-05-19", annual_rate=rate)
    exc = compliance.exceptions(con, "2026-12-31", ANYI)
    assert list(exc["rule"]) == (["C4"] if fails else [])
    if fails:
        detail = json.loads(exc["detail"][0])
        assert D(str(detail["lpr_rate"])) == D(lpr)
        assert exc["limit_value"][0] == D(lpr) + D("0.005")


def test_c4_loan_before_any_lpr_on_record_cannot_pass(con):
    add_loan(con, "OLD", disbursed_on="2019-08-19", matures_on="2020-08-19", annual_rate="0.0435")
    exc = compliance.exceptions(con, "2026-12-31", ANYI)
    assert list(exc["rule"]) == ["C4"] and exc["limit_value"][0] is None


@pytest.mark.parametrize(("fee", "fails"), [("10000.00", False), ("10000.01", True), (None, False)])
def test_c5_c6_fees_at_most_one_percent(con, fee, fails):
    add_loan(con, "G", credit_code="A", guarantee_fee=fee)
    add_loan(con, "A", credit_code="B", appraisal_fee=fee)
    assert broken(con) == ({"A": ["C6"], "G": ["C5"]} if fails else {})


def test_c7_annual_cap_flags_the_loan_that_crosses_it_and_every_later_one_that_year(con):
    big = {"credit_code": "X", "appraised_value": "100000000", "guarantee_fee": None, "appraisal_fee": None}
    add_loan(con, "C7-1", principal="6000000.00", disbursed_on="2025-03-01", **big)
    add_loan(con, "C7-2", principal="4000000.00", disbursed_on="2025-05-01", **big)   # total exactly 10,000,000
    add_loan(con, "C7-3", principal="1.00", disbursed_on="2025-05-01", **big)         # same day, later id: 10,000,001
    add_loan(con, "C7-4", principal="100.00", disbursed_on="2025-06-01", **big)
    add_loan(con, "C7-5", principal="9000000.00", disbursed_on="2026-01-05", matures_on="2027-01-05", **big)
    add_loan(con, "OTHER", principal="9000000.00", disbursed_on="2025-06-01", credit_code="Y",
             appraised_value="100000000", guarantee_fee=None, appraisal_fee=None)
    # (these unpaid loans also trip C2/C10 here; C7 is looked at alone)
    assert broken(con, rules=("C7",)) == {"C7-3": ["C7"], "C7-4": ["C7"]}
    exc = compliance.exceptions(con, "2026-12-31", ANYI, rules=("C7",)).set_index("loan_id")
    assert exc.loc["C7-3", "actual_value"] == D("10000001")   # 6,000,000 + 4,000,000 + 1
    assert exc.loc["C7-4", "actual_value"] == D("10000101")
    # as of 2025-04-30 only C7-1 exists: nothing to flag yet
    assert broken(con, "2025-04-30", rules=("C7",)) == {}


@pytest.mark.parametrize(("disbursed_on", "expires_on", "fails"), [
    ("2025-06-01", "2028-06-01", False),   # exactly 3 years later passes
    ("2025-06-01", "2028-05-31", True),    # one day less fails
    ("2024-02-29", "2027-02-28", False),   # 29 Feb + 3 years = 28 Feb
    ("2025-06-01", None, True),            # no expiry on record: cannot show 3 years remain
])
def test_c8_pledged_patents_need_three_more_years(con, disbursed_on, expires_on, fails):
    add_loan(con, "L", disbursed_on=disbursed_on, matures_on="2025-02-28" if disbursed_on < "2025" else "2026-06-01",
             annual_rate="0.0395")
    add_collateral(con, "L", "ZL202310000001.1", "utility_model", expires_on)
    add_collateral(con, "L", "TM-1", "trademark", "2025-01-01")   # trademarks are not checked
    exc = compliance.exceptions(con, "2026-12-31", ANYI, rules=("C8",))
    assert list(exc["item"]) == (["ZL202310000001.1"] if fails else [])
    if expires_on is None:
        assert json.loads(exc["detail"][0])["missing_expiry"] is True


def test_c9_ban_window_ends_inclusive_three_years_after_the_notice(con):
    add_loan(con, "N", credit_code="Z", disbursed_on="2021-06-01", matures_on="2022-06-01", annual_rate="0.0385")
    add_event(con, "N", "2022-03-10", "compensation_notice")
    for loan_id, day in (("ON-NOTICE", "2022-03-10"), ("AFTER", "2023-01-10"), ("LAST-DAY", "2025-03-10"),
                         ("DAY-AFTER", "2025-03-11")):
        add_loan(con, loan_id, credit_code="Z", disbursed_on=day, matures_on=day.replace("202", "203", 1),
                 principal="1.00", guarantee_fee=None, appraisal_fee=None)
    exc = compliance.exceptions(con, "2026-12-31", ANYI, rules=("C9",))
    assert list(exc["loan_id"]) == ["AFTER", "LAST-DAY"]
    assert set(exc["limit_on"]) == {dt.date(2025, 3, 10)}
    assert set(exc["item"]) == {"N"}


def test_c10_uses_the_status_at_the_end_of_the_day_before_disbursement(con):
    # P1 owes 1,000 interest on 2025-03-01 and never pays: DPD 1 at the end of 2025-03-02, when it is
    # one of two active loans of 1,000,000 each: ratio 1,000,000 / 2,000,000 = 50 % > 5 %: breach
    # and halt on 2025-03-02. P2 disbursed that day passes (end of 03-01 was normal); P3 the next
    # day fails (end of 03-02 was halted).
    add_loan(con, "P1", credit_code="P", disbursed_on="2025-01-10", matures_on="2026-01-10", annual_rate="0.036")
    add_schedule(con, "P1", "2025-03-01", "0", "1000.00")
    add_schedule(con, "P1", "2026-01-10", "1000000.00", "0")
    add_loan(con, "P2", credit_code="Q", disbursed_on="2025-03-02", matures_on="2026-03-02", annual_rate="0.036")
    add_loan(con, "P3", credit_code="R", disbursed_on="2025-03-03", matures_on="2026-03-03", annual_rate="0.036")
    exc = compliance.exceptions(con, "2025-03-31", ANYI)
    assert list(zip(exc["loan_id"], exc["rule"], strict=True)) == [("P3", "C10")]
    assert exc["actual_on"][0] == dt.date(2025, 3, 2)


@pytest.mark.parametrize(("mode", "guarantor", "fails"), [
    ("indirect", "G1", False), ("indirect", None, True), ("indirect", " ", True),
    ("direct", None, False), ("direct", "G1", True),
])
def test_c11_guarantor_named_exactly_for_indirect_pledges(con, mode, guarantor, fails):
    add_loan(con, "L", pledge_mode=mode, guarantor=guarantor)
    assert broken(con) == ({"L": ["C11"]} if fails else {})


def test_only_loans_disbursed_by_as_of_are_checked_and_summary_counts_by_rule(con):
    add_loan(con, "EARLY", credit_code="A", principal="1.00", appraised_value="1.00",
             guarantee_fee=None, appraisal_fee=None)
    add_loan(con, "LATER", credit_code="B", disbursed_on="2025-07-01", matures_on="2026-07-01",
             pledge_mode="direct")
    assert broken(con, "2025-06-30") == {"EARLY": ["C3"]}   # 1.00 > 0.60 × 1.00
    summary = compliance.summary(con, "2025-12-31", ANYI).set_index("rule")
    assert list(summary.index) == list(compliance.RULES)
    assert summary.loc["C3", "loans"] == 1 and summary.loc["C11", "loans"] == 1
    assert summary["loans"].sum() == 2


def test_demo_portfolio_matches_the_independent_python_checks(tmp_path):
    # demo/check.py checks C1–C11 in plain Python on the generator's own objects; the
    # shipped demo ledgers, ingested for real, must give exactly the same (loan_id, rule) pairs.
    import demo.check
    import demo.story
    from pipelines import ingest
    from pipelines.store import ROOT

    db = tmp_path / "demo.duckdb"
    ingest.ingest_paths([ROOT / "data" / "demo"], db=db)
    expected = demo.check.compliance(demo.story.build_story())
    with store.read_connection(db) as c:
        exc = compliance.exceptions(c, "2025-12-31", ANYI)
    assert set(zip(exc["loan_id"], exc["rule"], strict=True)) == expected
    assert len(expected) >= 8   # the generator plants a breach of every rule but C1, C2, C6
