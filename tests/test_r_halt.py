"""R-HALT: the 5% halt trigger (strictly greater), its episodes, resumes (also while breached), the
status on given days, headroom. Ledgers: exactly_five_percent here, halt_ledger in
tests/engine_fixtures.py; arithmetic in the comments."""

from __future__ import annotations

from decimal import Decimal

from engine_fixtures import PROFILE, Ledger, day, halt_ledger

from queries import halt, ratio


def exactly_five_percent() -> Ledger:
    """950,000 performing + 50,000 overdue from 2 Feb 2024: 50,000 / 1,000,000 = 5.00% exactly."""
    ledger = Ledger()
    ledger.loan("X1", "950000", "2024-01-01", "2024-12-31").due("X1", "2024-12-31", "950000", "0")
    ledger.loan("X2", "50000", "2024-01-01", "2024-12-31")
    ledger.due("X2", "2024-02-01", "0", "100.00").due("X2", "2024-12-31", "50000", "0")
    ledger.pay("X1", "2024-03-31", interest_paid="1.00")  # only to extend the ledger to 31 Mar
    return ledger


def test_exactly_five_percent_is_warning_not_breach(build):
    con = build(exactly_five_percent())
    s = ratio.summary(con, "2024-02-02", PROFILE)
    assert s["npl_ratio"] == Decimal("0.05")
    assert (s["breach"], s["status"], s["halted"], s["halted_since"]) == (False, "warning", False, None)
    assert s["headroom"] == 0  # 0.05 × 1,000,000 − 50,000
    series = ratio.npl_series(con, PROFILE)
    assert not series["halted"].any() and not series["breach"].any()
    assert halt.halt_episodes(con, PROFILE).empty
    # 1 Feb: nothing late yet (own due date) → ratio 0, normal; 2 Feb on: 5%
    by_day = series.set_index("day")
    assert by_day.loc[day("2024-02-01"), "npl_ratio"] == 0 and by_day.loc[day("2024-02-01"), "status"] == "normal"
    assert by_day.loc[day("2024-03-31"), "status"] == "warning"


def test_five_point_zero_one_percent_breaches_and_headroom_is_negative(build):
    con = build(halt_ledger())
    s = ratio.summary(con, "2024-02-02", PROFILE)
    assert s["npl_ratio"] == Decimal("0.0501")  # 50,100 / 1,000,000
    assert (s["breach"], s["status"], s["halted_since"]) == (True, "halted", day("2024-02-02"))
    assert s["headroom"] == Decimal("-100")  # 0.05 × 1,000,000 − 50,100


def test_halt_stays_after_the_ratio_falls_until_a_resume(build):
    con = build(halt_ledger())
    s = ratio.summary(con, "2024-02-29", PROFILE)
    # paid on 10 Feb: ratio 0, but the halt stays until the resume of 1 Mar
    assert (s["npl_ratio"], s["breach"], s["status"], s["halted_since"]) == (0, False, "halted", day("2024-02-02"))
    assert s["headroom"] == Decimal("50000")  # 0.05 × 1,000,000 − 0
    r = ratio.summary(con, "2024-03-01", PROFILE)
    assert (r["status"], r["halted"], r["halted_since"]) == ("normal", False, None)


def test_halt_episodes_and_resume_while_breached(build):
    con = build(halt_ledger())
    episodes = halt.halt_episodes(con, PROFILE)
    got = [(e.start_on, e.resume_on, e.end_on, bool(e.resume_while_breached)) for e in episodes.itertuples()]
    assert got == [
        (day("2024-02-02"), day("2024-03-01"), day("2024-02-29"), False),  # breach 2 Feb, paid 10 Feb
        (day("2024-04-02"), day("2024-04-15"), day("2024-04-14"), True),   # resumed while still 5.01%
        (day("2024-04-15"), day("2024-05-01"), day("2024-04-30"), False),  # which re-opens on 15 Apr
        (day("2024-06-03"), day("2024-06-10"), day("2024-06-09"), False),  # a halt decision, ratio 0
    ]
    resumes = halt.resumes(con, PROFILE)
    assert [(r.decided_on, bool(r.resume_while_breached), bool(r.ended_halt), bool(r.still_halted))
            for r in resumes.itertuples()] == [
        (day("2024-03-01"), False, True, False),
        (day("2024-04-02"), True, False, True),  # same day as the breach that opens the halt: no effect
        (day("2024-04-15"), True, True, True),  # flagged: 5.01% on the day of the resume
        (day("2024-05-01"), False, True, False),
        (day("2024-06-10"), False, True, False),
    ]
    status = halt.status_on(con, ["2023-12-31", "2024-02-01", "2024-02-02", "2024-04-15", "2024-06-09",
                                    "2024-06-10"], PROFILE)
    assert list(status["status"]) == ["normal", "normal", "halted", "halted", "halted", "normal"]
    assert status.iloc[0]["npl_ratio"] is None  # before the first loan: no active loan, ratio null
    assert status.iloc[3]["halted_since"] == day("2024-04-15")
