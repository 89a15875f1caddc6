"""R-SCHED: the repayment schedule, generated (month-end clipping, the interest day, half-up
rounding) or supplied by the bank. Golden values computed by hand in the comments."""

from __future__ import annotations

from engine_fixtures import D, Ledger, day, due_rows, with_values


def test_generated_schedule_clips_to_month_end_2023(build):
    con = build(Ledger().loan("G1", "1000000", "2023-01-31", "2023-05-31", rate="0.0365"))
    # daily interest = 1,000,000 × 0.0365 / 360 = 101.3888…
    assert due_rows(con, "G1") == [
        (day("2023-02-28"), D("0.00"), D("2838.89")),  # 28 days: 1,022,000/360 = 2838.888… → 2838.89
        (day("2023-03-31"), D("0.00"), D("3143.06")),  # 31 days: 1,131,500/360 = 3143.0555… → 3143.06
        (day("2023-04-30"), D("0.00"), D("3041.67")),  # 30 days: 1,095,000/360 = 3041.666… → 3041.67
        (day("2023-05-31"), D("1000000.00"), D("3143.06")),  # maturity: 31 days + whole principal
    ]


def test_generated_schedule_clips_to_29_february_2024(build):
    con = build(Ledger().loan("G2", "1000000", "2024-01-31", "2024-04-30", rate="0.0365"))
    assert due_rows(con, "G2") == [
        (day("2024-02-29"), D("0.00"), D("2940.28")),  # 29 days: 1,058,500/360 = 2940.2777… → 2940.28
        (day("2024-03-31"), D("0.00"), D("3143.06")),  # 31 days
        (day("2024-04-30"), D("1000000.00"), D("3041.67")),  # 30 days, maturity
    ]


def test_generated_interest_rounds_half_up(build):
    # 1,000 × 0.045 × 1 day / 360 = 0.125 exactly → 0.13 half-up (banker's rounding would give 0.12)
    con = build(Ledger().loan("G3", "1000", "2023-03-31", "2023-04-01", rate="0.0450"))
    assert due_rows(con, "G3") == [(day("2023-04-01"), D("1000.00"), D("0.13"))]


def test_profile_interest_day_fixes_the_day_of_month(build):
    con = build(Ledger().loan("G4", "1000000", "2023-01-05", "2023-03-10", rate="0.0365"))
    # interest_day 20: every 20th after disbursement (20 Jan included), then maturity
    assert due_rows(con, "G4", with_values(interest_day=20)) == [
        (day("2023-01-20"), D("0.00"), D("1520.83")),  # 15 days: 36,500 × 15 / 360 = 1520.833… → 1520.83
        (day("2023-02-20"), D("0.00"), D("3143.06")),  # 31 days: 1,131,500 / 360 = 3143.0555… → 3143.06
        (day("2023-03-10"), D("1000000.00"), D("1825.00")),  # 18 days: 657,000 / 360 = 1825
    ]
    con2 = build(Ledger().loan("G5", "1000000", "2023-01-25", "2023-03-10", rate="0.0365"))
    # disbursed after the 20th: the first due is 20 Feb, a 26-day period
    assert due_rows(con2, "G5", with_values(interest_day=20)) == [
        (day("2023-02-20"), D("0.00"), D("2636.11")),  # 26 days: 949,000 / 360 = 2636.111… → 2636.11
        (day("2023-03-10"), D("1000000.00"), D("1825.00")),
    ]


def test_supplied_schedule_wins_over_generation(build):
    ledger = Ledger().loan("S1", "10000", "2024-01-01", "2024-03-01")
    ledger.due("S1", "2024-02-15", "0", "12.34").due("S1", "2024-03-01", "10000", "5.00")
    con = build(ledger)
    assert due_rows(con, "S1") == [
        (day("2024-02-15"), D("0.00"), D("12.34")),
        (day("2024-03-01"), D("10000.00"), D("5.00")),
    ]
