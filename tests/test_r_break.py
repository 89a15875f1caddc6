"""Golden tests of R-BREAK (queries/outlook.py, outlook/break_count.sql, outlook/break_loans.sql)."""

from __future__ import annotations

from engine_fixtures import D, Ledger

from pipelines import profile as profile_mod
from queries import outlook

PROFILE = profile_mod.load("anyi")
T = "2024-06-30"


def with_values(**changes) -> profile_mod.Profile:
    p = PROFILE
    return profile_mod.Profile(p.name, p.title_zh, p.title_en, {**p.values, **changes}, p.extra)


def add(led: Ledger, loan_id: str, principal: str, late: bool = False, bank: str = "BankA") -> None:
    due_on = "2024-06-01" if late else "2024-12-31"
    led.loan(loan_id, principal, "2024-01-01", due_on, bank=bank).due(loan_id, due_on, principal, "0")


def test_headroom_exactly_one_loans_outstanding_needs_one_more_loan():
    led = Ledger()
    # active 22,000,000: X 100,000 overdue, A01 and B01…B20 at 1,000,000, C01 900,000 current
    # headroom = 5 % × 22,000,000 − 100,000 = 1,000,000 = A01's outstanding: not more, so one more
    add(led, "X", "100000", late=True)
    add(led, "A01", "1000000")
    for n in range(1, 21):
        add(led, f"B{n:02d}", "1000000", bank="BankB")
    add(led, "C01", "900000")
    con = led.memory()
    found = outlook.breach(con, T, PROFILE)
    assert found["headroom"] == D("1000000")
    assert found["loans_to_breach"] == 2
    assert list(found["breach_loans"]["loan_id"]) == ["A01", "B01"]  # ties by loan_id
    # a scoped user sees only its own of those loans; the count stays program-wide
    scoped = outlook.breach(con, T, PROFILE, {"bank": "BankB"})
    assert scoped["loans_to_breach"] == 2
    assert list(scoped["breach_loans"]["loan_id"]) == ["B01"]
    assert list(scoped["breach_loans"]["breach_rank"]) == [2]


def test_largest_loans_come_first_not_loan_id_order():
    led = Ledger()
    add(led, "X", "100000", late=True)  # active 4,000,000; headroom 100,000
    add(led, "A", "400000")
    add(led, "B", "3500000")
    found = outlook.breach(led.memory(), T, PROFILE)
    assert (found["loans_to_breach"], list(found["breach_loans"]["loan_id"])) == (1, ["B"])


def test_negative_headroom_is_zero_and_never_enough_is_null():
    led = Ledger()
    add(led, "X", "100000", late=True)
    add(led, "A", "1000000")  # 100,000 / 1,100,000 = 9.1 %: headroom negative
    found = outlook.breach(led.memory(), T, PROFILE)
    assert (found["loans_to_breach"], list(found["breach_loans"]["loan_id"])) == (0, [])
    led = Ledger()
    # threshold 30 days: L is 29 days late (active, not overdue, not current); A is all there is
    add(led, "L", "10000000", late=True)
    add(led, "A", "100000")
    found = outlook.breach(led.memory(), T, with_values(overdue_dpd_threshold=30))
    assert found["headroom"] == D("505000")  # 5 % of 10,100,000
    assert (found["loans_to_breach"], list(found["breach_loans"]["loan_id"])) == (None, [])
