"""Compliance across the C-rules: a default loan breaks none, only loans disbursed by as_of are
checked, the summary counts by rule."""

from __future__ import annotations

from compliance_fixtures import ANYI, broken
from obligation_fixtures import add_loan

from queries import compliance


def test_a_default_loan_breaks_nothing(con):
    add_loan(con, "OK")
    assert broken(con) == {}


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
