"""R-ALERT60: a loan is on the alert list from 60 days past due (inclusive), not 59."""

from __future__ import annotations

from engine_fixtures import PROFILE, day, dpd_ledger, state

from queries import alert60


def test_alert_at_60_days_not_59(build):
    con = build(dpd_ledger())
    # 10 Jan → 9 Mar 2024: 21 (rest of Jan) + 29 (Feb, leap) + 9 = 59 days; 10 Mar: 60
    assert state(con, "UNPAID", "2024-03-09")["dpd"] == 59
    assert alert60.alerts(con, "2024-03-09", PROFILE).empty
    alerts = alert60.alerts(con, "2024-03-10", PROFILE)
    # SHORT_002 still owes 0.02 of the 10 Jan interest: a shortfall above the tolerance keeps it late
    assert list(alerts["loan_id"]) == ["SHORT_002", "UNPAID"]
    row = alerts.iloc[1]
    assert (row["dpd"], row["oldest_unpaid_due"], row["alert_since"]) == (60, day("2024-01-10"), day("2024-03-10"))
    assert row["action"] == "compensation_claim"  # indirect pledge (guarantor named)
