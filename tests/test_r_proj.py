"""Golden tests of R-PROJ (queries/outlook.py, outlook/projection.sql): hand-computed projections."""

from __future__ import annotations

from engine_fixtures import D, Ledger, day

from pipelines import profile as profile_mod
from queries import outlook

PROFILE = profile_mod.load("anyi")
T = "2024-06-30"


def good_loans_book() -> Ledger:
    # A 1,000,000 and B 4,000,000 current (nothing due yet), C 240,000 unpaid since 2024-06-01.
    led = Ledger()
    led.loan("A", "1000000", "2024-01-20", "2024-07-20").due("A", "2024-07-20", "1000000", "0")
    led.loan("B", "4000000", "2024-01-01", "2024-12-31").due("B", "2024-12-31", "4000000", "0")
    led.loan("C", "240000", "2024-01-01", "2024-06-01").due("C", "2024-06-01", "240000", "0")
    return led


def test_good_loans_repaying_alone_breach_on_a_known_day():
    con = good_loans_book().memory()
    series = outlook.projection(con, T, PROFILE)
    by_day = {r.day: r for r in series.itertuples()}
    # at t and to 19 July: 240,000 / 5,240,000 = 4.58 %; A repays on 20 July: 240,000 / 4,240,000 = 5.66 %
    assert len(series) == 91 and series["days_ahead"].tolist() == list(range(91))
    before, after = by_day[day("2024-07-19")], by_day[day("2024-07-20")]
    assert (before.base_active_balance, before.base_overdue_balance, before.base_breach) == (
        D("5240000.00"), D("240000.00"), False)
    assert (after.base_active_balance, after.base_overdue_balance, after.base_breach) == (
        D("4240000.00"), D("240000.00"), True)
    assert after.base_npl_ratio == D("0.056603773584905660")  # 240 / 4240, half-up at 18 digits
    # nobody was ever late before t except C, which is not current: stress = base
    assert outlook.days_to_breach(con, T, PROFILE) == {"base": 20, "stress": 20}


def test_stress_loan_with_late_history_keeps_its_principal():
    led = Ledger()
    # S paid its March interest 4 days late, is current at t, matures 15 August; B is a large good loan
    led.loan("S", "1000000", "2024-02-01", "2024-08-15")
    led.due("S", "2024-03-01", "0", "5000").due("S", "2024-08-15", "1000000", "5000")
    led.pay("S", "2024-03-05", interest_paid="5000")
    led.loan("B", "10000000", "2024-01-01", "2025-01-01").due("B", "2025-01-01", "10000000", "0")
    con = led.memory()
    series = outlook.projection(con, T, PROFILE)
    by_day = {r.day: r for r in series.itertuples()}
    # base: S repays on 15 August, nothing is ever overdue
    assert outlook.days_to_breach(con, T, PROFILE) == {"base": None, "stress": 47}
    # stress: S's principal stays; 16 August is 1 day past due: 1,000,000 / 11,000,000 = 9.09 %
    assert by_day[day("2024-08-15")].stress_overdue_balance == D("0.00")
    assert by_day[day("2024-08-16")].stress_overdue_balance == D("1000000.00")
    assert by_day[day("2024-08-16")].stress_active_balance == D("11000000.00")
    assert by_day[day("2024-08-16")].base_active_balance == D("10000000.00")


def test_late_history_of_the_renewed_loan_counts_for_stress():
    led = Ledger()
    led.loan("OLD", "1000000", "2024-01-01", "2024-04-01").due("OLD", "2024-04-01", "1000000", "0")
    led.pay("OLD", "2024-04-10", "1000000")  # 9 days late, then renewed
    led.loan("NEW", "1000000", "2024-04-10", "2024-08-01").due("NEW", "2024-08-01", "1000000", "0")
    led.loan("B", "10000000", "2024-01-01", "2025-01-01").due("B", "2025-01-01", "10000000", "0")
    con = led.memory()
    con.execute("update loans set renewed_from = 'OLD' where loan_id = 'NEW'")
    # NEW never was late itself; its chain was: it keeps its principal on 1 August in the stress case
    assert outlook.days_to_breach(con, T, PROFILE) == {"base": None, "stress": 33}


def test_already_above_is_zero_and_short_schedule_is_completed_at_maturity():
    con = good_loans_book().memory()
    assert outlook.days_to_breach(con, "2024-07-25", PROFILE) == {"base": 0, "stress": 0}
    led = Ledger()
    # a supplied schedule 400,000 short of the principal: the remainder falls due on matures_on
    led.loan("P", "1000000", "2024-01-01", "2024-07-31").due("P", "2024-07-31", "600000", "0")
    led.loan("B", "1000000", "2024-01-01", "2025-01-01").due("B", "2025-01-01", "1000000", "0")
    series = outlook.projection(led.memory(), T, PROFILE)
    last = series.iloc[-1]
    assert (last.base_active_balance, last.base_overdue_balance) == (D("1000000.00"), D("0.00"))
