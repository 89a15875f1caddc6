"""C8: each pledged invention or utility-model patent expires no earlier than disbursed_on + 3 years."""

from __future__ import annotations

import json

import pytest
from compliance_fixtures import ANYI
from obligation_fixtures import add_collateral, add_loan

from queries import compliance


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
