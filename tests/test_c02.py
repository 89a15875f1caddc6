"""C2: matures_on ≤ disbursed_on + max_term (the same calendar day a year later)."""

from __future__ import annotations

import pytest
from compliance_fixtures import broken
from obligation_fixtures import add_loan


@pytest.mark.parametrize(("disbursed_on", "matures_on", "fails"), [
    ("2025-06-01", "2026-06-01", False),   # same calendar day a year later
    ("2025-06-01", "2026-06-02", True),
    ("2024-02-29", "2025-02-28", False),   # 29 Feb + 1 year = 28 Feb
    ("2024-02-29", "2025-03-01", True),
])
def test_c2_term_ends_on_the_same_calendar_day(con, disbursed_on, matures_on, fails):
    add_loan(con, "L", disbursed_on=disbursed_on, matures_on=matures_on, annual_rate="0.0385")
    assert broken(con, rules=("C2",)) == ({"L": ["C2"]} if fails else {})
