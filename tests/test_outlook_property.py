"""Property test: R-PROJ and R-BREAK of queries/outlook.py against the day-by-day Python reference
(tests/outlook_reference.py, written from RULES.md) on random small books — seeded random, so a
failure names its seed. Every day of the 91-day projection must agree (balances and breach, base
and stress), and so must days_to_breach, loans_to_breach and breach_loans."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import outlook_reference as ref
import pytest
from engine_fixtures import Ledger

from pipelines import profile as profile_mod
from queries import outlook

BASE = dt.date(2024, 1, 1)
CENT = Decimal("0.01")


def with_values(**changes) -> profile_mod.Profile:
    p = profile_mod.load("anyi")
    return profile_mod.Profile(p.name, p.title_zh, p.title_en, {**p.values, **changes}, p.extra)


def random_book(rng: random.Random) -> dict:
    """2–9 loans with supplied schedules (sometimes short of the principal, sometimes amortising),
    payments on time, late, partial (some exactly at the tolerance edge) or never, some write-offs,
    renewals naming an earlier loan."""
    book = {"loans": {}, "dues": {}, "pays": {}, "writes": {}}
    for n in range(rng.randint(3, 12)):
        loan_id = f"P{n}"
        disbursed = BASE + dt.timedelta(days=rng.randint(0, 120))
        matures = disbursed + dt.timedelta(days=rng.randint(20, 200))
        principal = Decimal(rng.choice([50000, 100000, 100000, 250000, 400000, 1000000]))
        earlier = [k for k, v in book["loans"].items() if v["disbursed_on"] <= disbursed]
        renewed_from = rng.choice(earlier) if earlier and rng.random() < 0.3 else None
        book["loans"][loan_id] = dict(principal=principal, disbursed_on=disbursed, matures_on=matures,
                                      renewed_from=renewed_from)
        dues, d = [], disbursed
        while True:
            d = d + dt.timedelta(days=rng.choice([15, 30, 31]))
            if d >= matures:
                break
            part = principal * Decimal(rng.choice([0, 0, 0, 10])) / 100
            dues.append((d, part, Decimal(rng.randint(100, 3000))))
        scheduled = sum((p for _, p, _ in dues), Decimal(0))
        last = principal - scheduled if rng.random() < 0.8 else (principal - scheduled) / 2
        dues.append((matures, last, Decimal(rng.randint(100, 3000))))
        book["dues"][loan_id] = dues
        pays = []
        for due_on, p, i in dues:
            kind = rng.random()
            if kind < 0.8:
                when = due_on - dt.timedelta(days=rng.choice([0, 0, 3]))
            elif kind < 0.93:
                when = due_on + dt.timedelta(days=rng.randint(1, 70))
            else:
                continue
            short = rng.choice([Decimal(0), Decimal(0), CENT, Decimal("0.02")])
            pays.append((when, max(p - short, Decimal(0)), max(i - short, Decimal(0))))
        book["pays"][loan_id] = pays
        if rng.random() < 0.1:
            book["writes"][loan_id] = [(matures + dt.timedelta(days=rng.randint(10, 60)), principal / 2)]
    return book


def ledger(book: dict) -> Ledger:
    led = Ledger()
    for loan_id, loan in book["loans"].items():
        led.loan(loan_id, loan["principal"], loan["disbursed_on"], loan["matures_on"])
        for due_on, p, i in book["dues"][loan_id]:
            led.due(loan_id, due_on, p, i)
        for paid_on, p, i in book["pays"][loan_id]:
            led.pay(loan_id, paid_on, p, i)
        for event_on, amount in book["writes"].get(loan_id, []):
            led.event(loan_id, event_on, "write_off", amount, "bank")
    return led


def merge_same_day_dues(book: dict) -> None:
    """The schedule ledger is keyed by (loan_id, due_on): keep one row a day."""
    for loan_id, dues in book["dues"].items():
        merged = {}
        for d, p, i in dues:
            a, b = merged.get(d, (Decimal(0), Decimal(0)))
            merged[d] = (a + p, b + i)
        book["dues"][loan_id] = sorted((d, p, i) for d, (p, i) in merged.items())


@pytest.mark.parametrize("seed", range(40))
def test_projection_and_breach_agree_with_reference(seed):
    rng = random.Random(seed)
    book = random_book(rng)
    merge_same_day_dues(book)
    threshold = rng.choice([1, 1, 30])
    profile = with_values(overdue_dpd_threshold=threshold)
    con = ledger(book).memory()
    for loan_id, loan in book["loans"].items():
        if loan["renewed_from"]:
            con.execute("update loans set renewed_from = ? where loan_id = ?", [loan["renewed_from"], loan_id])
    tol = Decimal(str(profile.amount_tolerance))
    halt = Decimal(str(profile.npl_halt_threshold))
    for _ in range(3):
        t = BASE + dt.timedelta(days=rng.randint(10, 300))
        rows, (base, stress) = ref.projection(book, t, tol, threshold, halt)
        series = outlook.projection(con, t, profile)
        got = [(r.day, r.base_active_balance, r.base_overdue_balance, bool(r.base_breach),
                r.stress_active_balance, r.stress_overdue_balance, bool(r.stress_breach))
               for r in series.itertuples()]
        assert got == rows, (seed, t)
        assert outlook.days_to_breach(con, t, profile, series) == {"base": base, "stress": stress}, (seed, t)
        k, ids = ref.loans_to_breach(book, t, tol, threshold, halt)
        found = outlook.breach(con, t, profile)
        assert (found["loans_to_breach"], list(found["breach_loans"]["loan_id"])) == (k, ids), (seed, t)
