"""C1: principal ≤ max_single_loan (inclusive)."""

from __future__ import annotations

import pytest
from compliance_fixtures import broken
from obligation_fixtures import add_loan


@pytest.mark.parametrize(("principal", "fails"), [("10000000.00", False), ("10000000.01", True)])
def test_c1_single_loan_cap_is_inclusive(con, principal, fails):
    add_loan(con, "L", principal=principal, appraised_value="100000000", guarantee_fee=None, appraisal_fee=None)
    # (10,000,000.01 also takes the enterprise's year over its cap: C7, tested on its own below)
    assert broken(con, rules=("C1",)) == ({"L": ["C1"]} if fails else {})
