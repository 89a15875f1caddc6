"""C3: principal ≤ max_pledge_rate × pledge value (the lower of appraised and fair value)."""

from __future__ import annotations

import json

from compliance_fixtures import ANYI, broken
from obligation_fixtures import D, add_loan

from queries import compliance


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
