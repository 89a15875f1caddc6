"""Golden tests of R-WALL (queries/outlook.py, outlook/wall.sql)."""

from __future__ import annotations

from engine_fixtures import D, Ledger

from pipelines import profile as profile_mod
from queries import outlook

PROFILE = profile_mod.load("anyi")
T = "2024-06-30"  # horizons end 30 July, 29 August, 28 September


def test_wall_by_horizon_bank_and_lateness():
    led = Ledger()
    # A (BankA, current): 1,000,000 due 15 July, 200,000 prepaid -> 800,000 unpaid
    led.loan("A", "1000000", "2024-01-15", "2024-07-15").due("A", "2024-07-15", "1000000", "0")
    led.pay("A", "2024-05-01", "200000")
    # L (BankA, 29 days late on interest): 500,000 due 20 August
    led.loan("L", "500000", "2024-01-01", "2024-08-20")
    led.due("L", "2024-06-01", "0", "1000").due("L", "2024-08-20", "500000", "1000")
    # E (BankB, current, amortising): 100,000 due 10 July and 10 September, 150,000 paid: the oldest
    # due first, so 10 July is covered and 50,000 of 10 September is unpaid
    led.loan("E", "200000", "2024-01-10", "2024-09-10", bank="BankB")
    led.due("E", "2024-07-10", "100000", "0").due("E", "2024-09-10", "100000", "0")
    led.pay("E", "2024-06-15", "150000")
    # D (BankB) due exactly at t + 90: in; F (BankC) due 29 September: out; G (BankC) due on t: out
    led.loan("D", "300000", "2024-01-01", "2024-09-28", bank="BankB").due("D", "2024-09-28", "300000", "0")
    led.loan("F", "300000", "2024-01-01", "2024-09-29", bank="BankC").due("F", "2024-09-29", "300000", "0")
    led.loan("G", "300000", "2024-01-01", "2024-06-30", bank="BankC").due("G", "2024-06-30", "300000", "0")
    con = led.memory()
    rows = [tuple(r) for r in outlook.wall(con, T, PROFILE).itertuples(index=False)]
    assert rows == [
        (30, "BankA", D("800000.00"), D("0.00")),
        (60, "BankA", D("800000.00"), D("500000.00")),
        (90, "BankA", D("800000.00"), D("500000.00")),
        (90, "BankB", D("350000.00"), D("0.00")),  # E's 50,000 + D's 300,000; BankC left out
    ]
    scoped = outlook.wall(con, T, PROFILE, {"bank": "BankB"})
    assert list(scoped["bank"]) == ["BankB"]
