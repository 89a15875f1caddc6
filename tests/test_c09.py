"""C9: no loan inside the enterprise's R-BAN window (after the notice, up to and including 3 years later)."""

from __future__ import annotations

import datetime as dt

from compliance_fixtures import ANYI
from obligation_fixtures import add_event, add_loan

from queries import compliance


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
