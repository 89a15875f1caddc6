"""Golden tests of R-ROLL (queries/outlook.py, outlook/roll.sql)."""

from __future__ import annotations

from engine_fixtures import D, Ledger

from pipelines import profile as profile_mod
from queries import outlook

PROFILE = profile_mod.load("anyi")


def cells(con, as_of="2024-06-30", scope=None) -> dict:
    found = outlook.roll(con, as_of, PROFILE, scope)
    return {(r.from_bucket, r.to_bucket): (r.loans, r.balance) for r in found["matrix"].itertuples()}


def loan(led: Ledger, loan_id: str, principal: str, disbursed: str, due_on: str, bank: str = "BankA") -> Ledger:
    return led.loan(loan_id, principal, disbursed, due_on, bank=bank).due(loan_id, due_on, principal, "0")


def test_loan_repaid_between_month_ends_rolls_to_repaid():
    led = Ledger()
    loan(led, "R", "100000", "2024-01-01", "2024-06-15").pay("R", "2024-06-15", "100000")
    loan(led, "L", "200000", "2024-01-01", "2024-06-10")  # unpaid: 20 days late at 30 June
    loan(led, "W", "300000", "2024-01-01", "2024-04-30")  # 31 days late at 31 May, then written off
    led.event("W", "2024-06-20", "write_off", "300000", "bank")
    loan(led, "N", "400000", "2024-06-05", "2024-12-31")  # new in June
    con = led.memory()
    assert outlook.month_ends("2024-07-10") == (outlook.month_ends("2024-06-30"))
    assert cells(con) == {
        ("current", "repaid"): (1, D("100000.00")),
        ("current", "1-29"): (1, D("200000.00")),
        ("30-59", "written_off"): (1, D("300000.00")),
        ("new", "current"): (1, D("400000.00")),
    }
    matrix = outlook.roll(con, "2024-06-30", PROFILE)["matrix"]
    rates = dict(zip(matrix["from_bucket"], matrix["roll_rate"], strict=True))
    # current at 31 May: 300,000, of which 200,000 rolled to 1-29 (worse); repaid is better
    assert rates["current"] == D("0.666666666666666667")
    assert rates["30-59"] == D("1")
    assert rates["new"] is None


def test_loan_closed_by_renewal_takes_its_renewals_bucket():
    led = Ledger()
    loan(led, "OLD", "500000", "2024-01-01", "2024-06-10").pay("OLD", "2024-06-10", "500000")
    loan(led, "NEW", "500000", "2024-06-10", "2024-12-31", bank="BankB")
    con = led.memory()
    con.execute("update loans set renewed_from = 'OLD' where loan_id = 'NEW'")
    assert cells(con) == {("current", "current"): (1, D("500000.00")), ("new", "current"): (1, D("500000.00"))}
    assert cells(con, scope={"bank": "BankB"}) == {("new", "current"): (1, D("500000.00"))}
