"""C7: an enterprise's principal disbursed in one calendar year ≤ annual_cap_per_enterprise."""

from __future__ import annotations

from compliance_fixtures import ANYI, broken
from obligation_fixtures import D, add_loan

from queries import compliance


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
