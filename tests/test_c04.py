"""C4: annual_rate ≤ the 1-year LPR in force on disbursed_on + max_rate_spread_over_lpr."""

from __future__ import annotations

import json

import pytest
from compliance_fixtures import ANYI
from obligation_fixtures import D, add_loan

from queries import compliance


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
