"""Property tests: the set-based SQL engine against a plain day-by-day Python model of RULES.md.

Random small portfolios (1–6 loans; supplied or generated schedules; partial payments on random
days, some exactly at the tolerance edge; compensation, write-off and recovery events; halt and
resume decisions). The reference below loops over every day and loan with Decimal arithmetic —
slow and obvious; the engine must agree with it on every day: per-loan outstanding and DPD
(R-OUT, R-DPD, via loan_state_at), the NPL ratio (R-NPL) and halt status (R-HALT, via npl_series).
"""

from __future__ import annotations

import calendar
import datetime as dt
from contextlib import closing
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pandas as pd
from engine_fixtures import Ledger
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import profile as profile_mod
from queries import dpd, ratio

PROFILE = profile_mod.load("anyi")
TOL = PROFILE.amount_tolerance
BASE = dt.date(2024, 1, 1)
HORIZON = 200  # days of history in each example


# ---------------------------------------------------------------- reference model

def ref_dues(loan: dict, supplied: list[tuple]) -> list[tuple[dt.date, Decimal, Decimal]]:
    """R-SCHED, written independently of dues.sql: month by month with calendar.monthrange."""
    if supplied:
        return sorted((d, p, i) for d, p, i in supplied)
    start, end, principal, rate = loan["disbursed_on"], loan["matures_on"], loan["principal"], loan["rate"]
    dates = []
    y, m = start.year, start.month
    while True:
        m += 1
        if m == 13:
            y, m = y + 1, 1
        d = dt.date(y, m, min(start.day, calendar.monthrange(y, m)[1]))
        if d >= end:
            break
        dates.append(d)
    dates.append(end)
    out, prev = [], start
    for d in dates:
        interest = (principal * rate * (d - prev).days / 360).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out.append((d, principal if d == end else Decimal("0"), interest))
        prev = d
    return out


def ref_state(loan, dues, pays, events, t):
    """(outstanding, dpd_principal, dpd_interest) at the end of day t, straight from R-OUT / R-DPD."""
    p_paid = sum((p for d, p, _ in pays if d <= t), Decimal(0))
    p_paid += sum((a for d, kind, a in events if d <= t and kind in ("compensation", "write_off")), Decimal(0))
    i_paid = sum((i for d, _, i in pays if d <= t), Decimal(0))
    outstanding = max(loan["principal"] - p_paid, Decimal(0))

    def stream_dpd(index, paid):
        cum = Decimal(0)
        for due in dues:
            cum += due[index]
            if due[0] < t and cum > paid + TOL:
                return (t - due[0]).days
        return 0

    return outstanding, stream_dpd(1, p_paid), stream_dpd(2, i_paid)


def ref_series(portfolio, states, decisions, days):
    """Daily (active, overdue, ratio, status, halted) with a sequential halt state machine.

    ``states[(k, t)]`` is ref_state of loan k on day t."""
    halt_t, warn_t = PROFILE.npl_halt_threshold, PROFILE.npl_warning_threshold
    halted, start, out = False, None, []
    for t in days:
        active = overdue = Decimal(0)
        for k, (loan, _dues, _pays, _events) in enumerate(portfolio):
            o, dp, di = states[(k, t)]
            if loan["disbursed_on"] <= t and o > 0:
                active += o
                if max(dp, di) >= PROFILE.overdue_dpd_threshold:
                    overdue += o
        breach = active > 0 and overdue > halt_t * active
        kinds = {k for d, k in decisions if d == t}
        if "resume" in kinds and halted and start < t:
            halted = False
        if (breach or "halt" in kinds) and not halted:
            halted, start = True, t
        with localcontext() as ctx:
            ctx.prec = 60  # enough digits that rounding at 18 decimals below is exact
            ratio = overdue / active if active > 0 else None
        warning = active > 0 and warn_t * active < overdue <= halt_t * active
        status = "halted" if halted else ("warning" if warning else "normal")
        out.append((t, active, overdue, ratio, status, halted, start if halted else None))
    return out


# ---------------------------------------------------------------- random portfolios

money = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def portfolios(draw):
    n = draw(st.integers(1, 6))
    portfolio, ledger = [], Ledger()
    for k in range(n):
        loan_id = f"L{k}"
        disbursed = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
        matures = disbursed + dt.timedelta(days=draw(st.integers(10, 130)))
        principal = Decimal(draw(st.integers(100_00, 2_000_000_00))) / 100
        rate = draw(st.sampled_from([Decimal("0.0345"), Decimal("0.0365"), Decimal("0.0400"), Decimal("0.0435")]))
        loan = {"disbursed_on": disbursed, "matures_on": matures, "principal": principal, "rate": rate}
        ledger.loan(loan_id, principal, disbursed, matures, rate=rate,
                    bank=draw(st.sampled_from(["B1", "B2"])))
        supplied = []
        if draw(st.booleans()):
            offsets = sorted(draw(st.sets(st.integers(1, (matures - disbursed).days - 1), max_size=3)))
            for off in offsets:
                supplied.append((disbursed + dt.timedelta(days=off), Decimal(0), draw(money)))
            supplied.append((matures, principal, draw(money)))
            for d, p, i in supplied:
                ledger.due(loan_id, d, p, i)
        dues = ref_dues(loan, supplied)
        pays = []
        for _ in range(draw(st.integers(0, 5))):
            on = disbursed + dt.timedelta(days=draw(st.integers(0, HORIZON - 60)))
            mode = draw(st.sampled_from(["exact", "short1", "short2", "random", "principal"]))
            target = draw(st.sampled_from(dues))
            if mode == "exact":
                p_amt, i_amt = target[1], target[2]
            elif mode == "short1":
                p_amt, i_amt = Decimal(0), max(target[2] - Decimal("0.01"), Decimal(0))
            elif mode == "short2":
                p_amt, i_amt = Decimal(0), max(target[2] - Decimal("0.02"), Decimal(0))
            elif mode == "principal":
                p_amt, i_amt = (principal / 2).quantize(Decimal("0.01")), Decimal(0)
            else:
                p_amt, i_amt = Decimal(0), draw(money)
            if p_amt == 0 and i_amt == 0:
                continue
            pays.append((on, p_amt, i_amt))
            ledger.pay(loan_id, on, p_amt, i_amt, txn_id=f"{loan_id}-{len(pays)}")
        events = []
        for kind in ("compensation", "write_off", "recovery"):
            if draw(st.integers(0, 3)) == 0:
                on = matures + dt.timedelta(days=draw(st.integers(1, 40)))
                amount = (principal * draw(st.sampled_from([Decimal("0.7"), Decimal("0.3"), Decimal("1")])))
                amount = amount.quantize(Decimal("0.01"))
                events.append((on, kind, amount))
                ledger.event(loan_id, on, kind, amount, "guarantor" if kind == "compensation" else "bank")
        portfolio.append((loan, dues, pays, events))
    decisions = []
    for _ in range(draw(st.integers(0, 4))):
        on = BASE + dt.timedelta(days=draw(st.integers(0, HORIZON)))
        kind = draw(st.sampled_from(["resume", "resume", "halt"]))
        if (on, kind) not in decisions:
            decisions.append((on, kind))
            ledger.decision(on, kind)
    return portfolio, decisions, ledger


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=portfolios())
def test_engine_agrees_with_day_by_day_reference(case):
    portfolio, decisions, ledger = case
    end = BASE + dt.timedelta(days=HORIZON)
    days = [BASE + dt.timedelta(days=i) for i in range(HORIZON + 1)]
    with closing(ledger.memory()) as con:
        # per-loan state on every day (R-OUT, R-DPD)
        probes = pd.DataFrame([(f"L{k}", t) for k in range(len(portfolio)) for t in days], columns=["loan_id", "at"])
        got = dpd.loan_state_at(con, probes, PROFILE)
        got = {(r.loan_id, r.at): (r.outstanding, r.dpd_principal, r.dpd_interest) for r in got.itertuples()}
        states = {(k, t): ref_state(loan, dues, pays, events, t)
                  for k, (loan, dues, pays, events) in enumerate(portfolio) for t in days}
        for (k, t), expected_state in states.items():
            assert got[(f"L{k}", t)] == expected_state, (f"L{k}", t)
        # the as-of snapshot (snapshot.sql: aggregates over the same relations, no probes) agrees too
        for t in days[::9]:
            snap = dpd.loan_snapshot(con, t, PROFILE)
            seen = {r.loan_id: (r.outstanding, r.dpd_principal, r.dpd_interest) for r in snap.itertuples()}
            assert seen == {f"L{k}": states[(k, t)] for k, (loan, *_) in enumerate(portfolio)
                            if loan["disbursed_on"] <= t}, t
        # daily ratio and halt (R-NPL, R-HALT)
        series = ratio.npl_series(con, PROFILE, start=BASE, end=end)
        assert list(series["day"]) == days
        expected = ref_series(portfolio, states, decisions, days)
        for row, (t, active, overdue, npl, status, halted, since) in zip(series.itertuples(), expected,
                                                                           strict=True):
            assert (row.active_balance, row.overdue_balance) == (active, overdue), t
            if npl is None:
                assert row.npl_ratio is None, t
            else:  # the engine rounds half-up at 18 decimals
                assert row.npl_ratio == npl.quantize(Decimal("1e-18"), rounding=ROUND_HALF_UP), t
            assert (row.status, bool(row.halted), row.halted_since) == (status, halted, since), t
