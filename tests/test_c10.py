"""C10: no loan disbursed while halted (R-HALT status at the end of the day before disbursement)."""

from __future__ import annotations

import datetime as dt

from compliance_fixtures import ANYI
from obligation_fixtures import add_loan, add_schedule

from queries import compliance


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
