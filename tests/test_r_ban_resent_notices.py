"""R-BAN and C9 with a re-sent notice (RULES.md R-BAN: every notice starts a window, re-sent ones
included, so the ban runs to the latest notice + 3 years; issue 11 item 13).

One enterprise (CODE-R), loan R1 disbursed 2020-01-10; its notice is dated 2020-08-01 and re-sent
on 2023-06-01. Windows: (2020-08-01, 2023-08-01] and (2023-06-01, 2026-06-01]. A new loan R2
disbursed 2024-01-15 falls only inside the second window: before, C9 looked at the first notice
alone and let it pass.
"""

from __future__ import annotations

import datetime as dt

import pytest
from obligation_fixtures import add_event, add_loan

from pipelines import profile, store
from queries import bans, claims, compliance

ANYI = profile.load("anyi")


@pytest.fixture
def con(db_path):
    with store.write_connection(db_path) as c:
        add_loan(c, "R1", credit_code="CODE-R", disbursed_on="2020-01-10", matures_on="2021-01-10")
        add_event(c, "R1", "2020-08-01", "compensation_notice")
        add_event(c, "R1", "2023-06-01", "compensation_notice")
        add_loan(c, "R2", credit_code="CODE-R", disbursed_on="2024-01-15", matures_on="2025-01-15")
        add_loan(c, "R3", credit_code="CODE-R", disbursed_on="2026-06-02", matures_on="2027-06-02")
        yield c


def test_every_notice_starts_a_ban_window(con):
    rows = bans.bans(con, "2024-01-15", ANYI).to_dict("records")
    assert [(r["notice_on"], r["ban_until"], r["active"]) for r in rows] == [
        (dt.date(2020, 8, 1), dt.date(2023, 8, 1), False),
        (dt.date(2023, 6, 1), dt.date(2026, 6, 1), True),
    ]


def test_c9_flags_a_loan_inside_the_window_of_the_re_sent_notice_only(con):
    exc = compliance.exceptions(con, "2026-12-31", ANYI, rules=("C9",))
    # R2 (2024-01-15) is inside (2023-06-01, 2026-06-01]; R3 (2026-06-02) is one day past it
    assert [(r.loan_id, r.item, r.actual_on, r.limit_on) for r in exc.itertuples()] == [
        ("R2", "R1", dt.date(2023, 6, 1), dt.date(2026, 6, 1))]


def test_the_claim_still_opens_at_the_earliest_notice(con):
    (row,) = claims.claims(con, "2024-01-15", ANYI).to_dict("records")
    assert (row["notice_on"], row["notice_count"]) == (dt.date(2020, 8, 1), 2)
