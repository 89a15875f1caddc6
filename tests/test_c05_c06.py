"""C5 and C6: guarantee fee and appraisal fee each ≤ 1 % of the principal (one test pins both:
a loan over each line, and neither loan trips the other rule)."""

from __future__ import annotations

import pytest
from compliance_fixtures import broken
from obligation_fixtures import add_loan


@pytest.mark.parametrize(("fee", "fails"), [("10000.00", False), ("10000.01", True), (None, False)])
def test_c5_c6_fees_at_most_one_percent(con, fee, fails):
    add_loan(con, "G", credit_code="A", guarantee_fee=fee)
    add_loan(con, "A", credit_code="B", appraisal_fee=fee)
    assert broken(con) == ({"A": ["C6"], "G": ["C5"]} if fails else {})
