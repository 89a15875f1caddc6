"""R-IPSTAT golden cases by hand: the pledged IP's legal status, fee watch and lost / at risk."""

from __future__ import annotations

import datetime as dt

import pytest
from collateral_fixtures import PROFILE, book
from engine_fixtures import Ledger

from queries import collateral

PATENT, TM = "ZL201910000001.1", "TM-7"


def loan_book(records=(), items=None, disbursed="2024-03-01", matures="2025-02-28"):
    ledger = Ledger().loan("L1", "1000000", disbursed, matures)
    items = items if items is not None else [("L1", "invention_patent", PATENT, "2039-01-01", 1000000, "2019-08-31")]
    return book(ledger, items, records)


def state(con, as_of, number=PATENT):
    rows = collateral.ip_watch(con, as_of, PROFILE)
    return rows[rows["ip_number"] == number].iloc[0].to_dict()


@pytest.mark.parametrize(("as_of", "watch"), [
    ("2024-08-30", None),             # 31 days before the fee falls due: not yet
    ("2024-08-31", "fee_due_soon"),   # exactly ip_fee_warning_days (30) before
    ("2024-09-30", "fee_due_soon"),   # on the due date itself (0 days)
    ("2024-10-01", "fee_grace"),      # the day after
])
def test_fee_due_in_exactly_30_days_is_due_soon_and_31_is_not(as_of, watch):
    con = loan_book([(PATENT, "2024-03-01", "pledge_registered", None),
                     (PATENT, "2024-03-01", "fee_paid", "2024-09-30")])
    got = state(con, as_of)
    assert (got["fee_watch"], got["watch"]) == (watch, watch)
    assert got["at_risk"] is (watch is not None) and got["lost"] is False
    assert got["next_fee_due"] == dt.date(2024, 9, 30)


@pytest.mark.parametrize(("paid_until", "grace_until"), [
    ("2024-08-31", dt.date(2025, 2, 28)),   # 31 Aug + 6 months, clipped to the end of February
    ("2023-08-31", dt.date(2024, 2, 29)),   # … in a leap year
    ("2024-05-15", dt.date(2024, 11, 15)),  # same day six months later
])
def test_grace_ends_six_months_after_the_due_date_and_the_patent_lapses_the_day_after(paid_until, grace_until):
    con = loan_book([(PATENT, "2023-03-01", "fee_paid", paid_until)], disbursed="2023-03-01",
                    matures="2026-02-28")
    last = state(con, grace_until)
    assert (last["fee_grace_until"], last["fee_watch"], last["lost"], last["at_risk"]) == (
        grace_until, "fee_grace", False, True)
    after = state(con, grace_until + dt.timedelta(days=1))
    assert (after["fee_watch"], after["lost"], after["at_risk"]) == ("lapsed", True, False)


def test_a_fee_paid_late_within_grace_clears_the_watch():
    con = loan_book([(PATENT, "2024-03-01", "fee_paid", "2024-08-31"),
                     (PATENT, "2024-10-15", "fee_paid", "2025-08-31")])
    assert state(con, "2024-10-14")["fee_watch"] == "fee_grace"
    got = state(con, "2024-10-15")
    assert (got["fee_watch"], got["at_risk"], got["fee_paid_until"]) == (None, False, dt.date(2025, 8, 31))


def test_a_restored_patent_is_valid_again_from_its_restoration_date():
    con = loan_book([(PATENT, "2024-03-01", "fee_paid", "2024-03-31"),
                     (PATENT, "2024-10-08", "terminated", None),
                     (PATENT, "2024-11-20", "restored", "2025-03-31")])
    before = state(con, "2024-11-19")
    assert (before["status"], before["lost"]) == ("terminated", True)
    got = state(con, "2024-11-20")
    assert (got["status"], got["lost"], got["at_risk"], got["fee_watch"]) == ("restored", False, False, None)


@pytest.mark.parametrize(("same_day", "status", "lost", "at_risk"), [
    (("pledge_released", "pledge_registered"), "pledge_registered", False, False),  # a re-pledge
    (("fee_paid", "fee_overdue"), "fee_overdue", False, True),
    (("invalidation_requested", "valid"), "invalidation_requested", False, True),
    (("partially_invalidated", "invalidated"), "invalidated", True, False),
    (("restored", "terminated"), "terminated", True, False),
])
def test_several_records_on_one_day_follow_the_precedence_order(same_day, status, lost, at_risk):
    records = [(PATENT, "2024-06-01", s, "2025-08-31" if s in ("fee_paid", "restored") else None) for s in same_day]
    got = state(loan_book(records), "2024-06-01")
    assert (got["status"], got["lost"], got["at_risk"]) == (status, lost, at_risk)


def test_a_release_after_disbursement_loses_the_ip_one_before_does_not():
    con = loan_book([(PATENT, "2024-02-01", "pledge_released", None)])
    assert (state(con, "2024-06-01")["status"], state(con, "2024-06-01")["lost"]) == ("pledge_released", False)
    con = loan_book([(PATENT, "2024-05-01", "pledge_released", None)])
    assert state(con, "2024-04-30")["lost"] is False and state(con, "2024-05-01")["lost"] is True


def test_without_records_the_ip_is_valid_and_next_fee_due_is_the_filing_anniversary():
    items = [("L1", "utility_model", PATENT, "2030-02-28", None, "2020-02-29")]
    got = state(loan_book(items=items), "2025-01-10")
    assert (got["status"], got["fee_paid_until"], got["fee_watch"], got["watch"]) == ("valid", None, None, None)
    assert got["next_fee_due"] == dt.date(2025, 2, 28)   # 29 Feb in a year without one
    assert state(loan_book(items=items), "2025-02-28")["next_fee_due"] == dt.date(2026, 2, 28)


def test_trademarks_have_no_fee_watch_but_expire_before_maturity_and_are_lost_after_expiry():
    items = [("L1", "trademark", TM, "2024-12-31", 500000, "2014-12-31")]
    con = loan_book([(TM, "2024-03-01", "fee_paid", "2024-04-01")], items=items)
    got = state(con, "2024-06-01", TM)
    assert (got["fee_paid_until"], got["fee_watch"], got["next_fee_due"]) == (None, None, None)
    assert (got["watch"], got["lost"], got["at_risk"]) == ("expires_before_maturity", False, False)
    assert state(con, "2024-12-31", TM)["lost"] is False and state(con, "2025-01-01", TM)["lost"] is True


def test_fee_paid_until_comes_from_the_latest_record_that_gives_one():
    con = loan_book([(PATENT, "2024-03-01", "fee_paid", "2024-08-31"),
                     (PATENT, "2024-03-01", "restored", "2024-09-30"),    # one day: the latest date given
                     (PATENT, "2024-05-01", "fee_overdue", None)])        # gives none: the earlier stands
    got = state(con, "2024-09-01")
    assert (got["status"], got["fee_paid_until"], got["fee_watch"]) == ("fee_overdue", dt.date(2024, 9, 30),
                                                                        "fee_due_soon")


def test_status_history_lists_a_loans_records_in_precedence_order():
    con = loan_book([(PATENT, "2024-06-01", "pledge_registered", None),
                     (PATENT, "2024-06-01", "pledge_released", None),
                     (PATENT, "2024-03-01", "fee_paid", "2024-08-31")])
    hist = collateral.status_history(con, "L1")
    assert list(hist["status"]) == ["fee_paid", "pledge_released", "pledge_registered"]
