"""R-BAN: the three-year ban after a compensation notice, to the same calendar day (29 Feb → 28 Feb)."""

from __future__ import annotations

import datetime as dt

from obligation_fixtures import add_event, add_loan

from pipelines import profile
from queries import bans

ANYI = profile.load("anyi")


def test_ban_runs_to_the_same_calendar_day_three_years_later_and_29_february_ends_28_february(con):
    add_loan(con, "B1", credit_code="CODE-B", disbursed_on="2023-06-01", matures_on="2024-06-01")
    add_loan(con, "B2", credit_code="CODE-C", disbursed_on="2023-06-01", matures_on="2024-06-01")
    add_event(con, "B1", "2024-02-29", "compensation_notice")
    add_event(con, "B2", "2024-05-10", "compensation_notice")
    at_end = bans.bans(con, "2027-02-28", ANYI).to_dict("records")
    assert [(r["credit_code"], r["notice_on"], r["ban_until"], r["active"]) for r in at_end] == [
        ("CODE-B", dt.date(2024, 2, 29), dt.date(2027, 2, 28), True),
        ("CODE-C", dt.date(2024, 5, 10), dt.date(2027, 5, 10), True),
    ]
    assert [r["active"] for r in bans.bans(con, "2027-03-01", ANYI).to_dict("records")] == [False, True]
    # a notice dated after as_of does not exist yet
    assert list(bans.bans(con, "2024-05-09", ANYI)["credit_code"]) == ["CODE-B"]
