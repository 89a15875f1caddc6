"""Golden tests of the risk engine: hand-computed values pinning every boundary of RULES.md.

Each scenario writes a few ledger rows straight into a fresh database (tests/engine_fixtures.py)
and checks the engine's exact (Decimal / date) answers. The arithmetic is in the comments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from engine_fixtures import D, Ledger, day

from pipelines import profile as profile_mod
from pipelines import store
from queries import alert60, classification, dpd, halt, ratio, schedule

PROFILE = profile_mod.load("anyi")


def with_values(**changes) -> profile_mod.Profile:
    p = PROFILE
    return profile_mod.Profile(p.name, p.title_zh, p.title_en, {**p.values, **changes}, p.extra)


@pytest.fixture
def build(tmp_path):
    """Write a Ledger into a fresh db and hand back a read connection to it."""
    opened = []

    def _build(ledger: Ledger):
        path = tmp_path / f"golden{len(opened)}.duckdb"
        ledger.write(path)
        ctx = store.read_connection(path)
        con = ctx.__enter__()
        opened.append(ctx)
        return con

    yield _build
    for ctx in opened:
        ctx.__exit__(None, None, None)


def state(con, loan_id, at) -> dict:
    frame = dpd.loan_state_at(con, pd.DataFrame({"loan_id": [loan_id], "at": [day(at)]}), PROFILE)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def due_rows(con, loan_id, profile=PROFILE):
    frame = schedule.dues(con, loan_id, profile)
    return [(r.due_on, r.principal_due, r.interest_due) for r in frame.itertuples()]


# ---------------------------------------------------------------- R-SCHED

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


# ---------------------------------------------------------------- R-DPD

def dpd_ledger() -> Ledger:
    """Each loan: interest 100.00 due 10 Jan 2024, principal 10,000 + interest 100 due 10 Feb 2024."""
    ledger = Ledger()
    for loan in ("ON_TIME", "SHORT_001", "SHORT_002", "UNPAID", "PRINCIPAL_LATE"):
        ledger.loan(loan, "10000", "2023-12-10", "2024-02-10")
        ledger.due(loan, "2024-01-10", "0", "100.00").due(loan, "2024-02-10", "10000", "100.00")
    ledger.pay("ON_TIME", "2024-01-10", interest_paid="100.00")   # paid on its due date
    ledger.pay("SHORT_001", "2024-01-10", interest_paid="99.99")  # shortfall 0.01: tolerated
    ledger.pay("SHORT_002", "2024-01-10", interest_paid="99.98")  # shortfall 0.02: not tolerated
    ledger.pay("PRINCIPAL_LATE", "2024-01-10", interest_paid="100.00")
    ledger.pay("PRINCIPAL_LATE", "2024-02-10", interest_paid="100.00")  # interest paid, principal not
    return ledger


def test_due_paid_on_its_due_date_is_never_late(build):
    con = build(dpd_ledger())
    assert state(con, "ON_TIME", "2024-01-10")["dpd"] == 0
    assert state(con, "ON_TIME", "2024-01-11")["dpd"] == 0
    assert state(con, "ON_TIME", "2024-02-05")["dpd"] == 0


def test_a_due_is_not_late_on_its_own_due_date_and_one_day_late_the_next(build):
    con = build(dpd_ledger())
    assert state(con, "UNPAID", "2024-01-10")["dpd"] == 0
    s = state(con, "UNPAID", "2024-01-11")
    assert (s["dpd"], s["dpd_interest"], s["dpd_principal"]) == (1, 1, 0)
    assert s["oldest_unpaid_due"] == day("2024-01-10")


def test_tolerance_001_is_tolerated_002_is_not(build):
    con = build(dpd_ledger())
    assert state(con, "SHORT_001", "2024-01-20")["dpd"] == 0   # 100.00 > 99.99 + 0.01 is false
    assert state(con, "SHORT_002", "2024-01-10")["dpd"] == 0   # own due date
    assert state(con, "SHORT_002", "2024-01-20")["dpd"] == 10  # 100.00 > 99.98 + 0.01: 20 − 10 = 10


def test_streams_are_separate_and_loan_dpd_is_the_larger(build):
    con = build(dpd_ledger())
    s = state(con, "PRINCIPAL_LATE", "2024-02-15")
    assert (s["dpd_principal"], s["dpd_interest"], s["dpd"]) == (5, 0, 5)  # 15 − 10 Feb
    u = state(con, "UNPAID", "2024-02-15")
    # interest oldest unpaid 10 Jan: 21 days of Jan + 15 = 36; principal due 10 Feb: 5
    assert (u["dpd_principal"], u["dpd_interest"], u["dpd"]) == (5, 36, 36)


def test_alert_at_60_days_not_59(build):
    con = build(dpd_ledger())
    # 10 Jan → 9 Mar 2024: 21 (rest of Jan) + 29 (Feb, leap) + 9 = 59 days; 10 Mar: 60
    assert state(con, "UNPAID", "2024-03-09")["dpd"] == 59
    assert alert60.alerts(con, "2024-03-09", PROFILE).empty
    alerts = alert60.alerts(con, "2024-03-10", PROFILE)
    # SHORT_002 still owes 0.02 of the 10 Jan interest: a shortfall above the tolerance keeps it late
    assert list(alerts["loan_id"]) == ["SHORT_002", "UNPAID"]
    row = alerts.iloc[1]
    assert (row["dpd"], row["oldest_unpaid_due"], row["alert_since"]) == (60, day("2024-01-10"), day("2024-03-10"))
    assert row["action"] == "compensation_claim"  # indirect pledge (guarantor named)


def test_overdue_loan_counts_with_its_whole_outstanding(build):
    con = build(dpd_ledger())
    snap = dpd.loan_snapshot(con, "2024-01-20", PROFILE).set_index("loan_id")
    assert snap.loc["SHORT_002", "overdue"] and snap.loc["SHORT_002", "outstanding"] == D("10000.00")
    s = ratio.summary(con, "2024-01-20", PROFILE)
    # overdue: SHORT_002 and UNPAID, each 10,000 although only 100 / 0.02 is late; active 5 × 10,000
    assert (s["overdue_balance"], s["active_balance"]) == (D("20000.00"), D("50000.00"))
    assert s["npl_ratio"] == Decimal("0.4")  # 20,000 / 50,000


# ---------------------------------------------------------------- R-OUT with events

def test_compensation_and_write_off_reduce_outstanding_recovery_does_not(build):
    ledger = Ledger().loan("C1", "100000", "2024-01-01", "2024-03-01")
    ledger.due("C1", "2024-03-01", "100000", "0")
    ledger.event("C1", "2024-04-30", "compensation_notice")
    ledger.event("C1", "2024-05-01", "compensation", "70000", "guarantor")
    ledger.event("C1", "2024-05-20", "recovery", "5000", "bank")
    ledger.event("C1", "2024-06-01", "write_off", "30000", "bank")
    con = build(ledger)
    before = state(con, "C1", "2024-04-30")
    assert (before["outstanding"], before["dpd_principal"]) == (D("100000.00"), 60)  # 30 + 30 days
    mid = state(con, "C1", "2024-05-20")
    # 100,000 − 70,000 compensation = 30,000 (recovery of 5,000 does not count); DPD 31+30+19 = 80
    assert (mid["outstanding"], mid["dpd_principal"], mid["active"]) == (D("30000.00"), 80, True)
    after = state(con, "C1", "2024-06-01")
    # 70,000 + 30,000 written off = 100,000 paid: nothing outstanding, nothing late, not active
    assert (after["outstanding"], after["dpd"], after["active"]) == (D("0.00"), 0, False)


# ---------------------------------------------------------------- R-NPL and R-HALT

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


def halt_ledger() -> Ledger:
    """949,900 performing + 50,100 with monthly interest: 50,100 / 1,000,000 = 5.01% when late.

    H_B interest 100.00 due 1 Feb, 1 Apr; paid 10 Feb and 20 Apr. Decisions: resume 1 Mar,
    resume 2 Apr (the day the second halt opens: does nothing), resume 15 Apr (while still
    breached), resume 1 May, halt 3 Jun, resume 10 Jun."""
    ledger = Ledger()
    ledger.loan("H_A", "949900", "2024-01-01", "2024-12-31").due("H_A", "2024-12-31", "949900", "0")
    ledger.loan("H_B", "50100", "2024-01-01", "2024-12-31")
    ledger.due("H_B", "2024-02-01", "0", "100.00").due("H_B", "2024-04-01", "0", "100.00")
    ledger.due("H_B", "2024-12-31", "50100", "0")
    ledger.pay("H_B", "2024-02-10", interest_paid="100.00").pay("H_B", "2024-04-20", interest_paid="100.00")
    for on, kind in (("2024-03-01", "resume"), ("2024-04-02", "resume"), ("2024-04-15", "resume"), ("2024-05-01", "resume"),
                     ("2024-06-03", "halt"), ("2024-06-10", "resume")):
        ledger.decision(on, kind)
    return ledger


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


def test_month_end_series_comes_from_the_daily_series(build):
    con = build(halt_ledger())
    months = ratio.month_end_series(con, PROFILE)
    assert list(months["day"]) == [day("2024-01-31"), day("2024-02-29"), day("2024-03-31"), day("2024-04-30"),
                                   day("2024-05-31")]
    assert list(months["status"]) == ["normal", "halted", "normal", "halted", "normal"]
    assert all(months["active_balance"] == D("1000000.00"))


def test_null_ratio_without_active_loans(build, db_path):
    with store.read_connection(db_path) as con:  # empty store
        s = ratio.summary(con, "2024-01-01", PROFILE)
        assert (s["npl_ratio"], s["active_balance"], s["status"]) == (None, 0, "normal")
        assert ratio.npl_series(con, PROFILE).empty
    ledger = Ledger().loan("P1", "1000", "2024-01-01", "2024-02-01").due("P1", "2024-02-01", "1000", "0")
    ledger.pay("P1", "2024-02-01", principal_paid="1000")
    con = build(ledger)
    assert ratio.summary(con, "2024-01-15", PROFILE)["npl_ratio"] == 0
    repaid = ratio.summary(con, "2024-02-01", PROFILE)  # repaid in full: no active loan left
    assert (repaid["npl_ratio"], repaid["active_loans"]) == (None, 0)


# ---------------------------------------------------------------- ageing and R-CLASS

AS_OF = day("2025-06-30")
DPDS = (0, 29, 30, 59, 60, 89, 90, 91, 270, 271, 360, 361)


def ageing_ledger() -> Ledger:
    """One 1,000 loan per DPD value: interest 10.00 due AS_OF − dpd days, never paid."""
    ledger = Ledger()
    for days in DPDS:
        loan = f"A{days:03d}"
        ledger.loan(loan, "1000", "2024-01-01", "2025-12-31")
        due = AS_OF - dt.timedelta(days=days)  # dpd 0: due on AS_OF itself, not late yet
        ledger.due(loan, due.isoformat(), "0", "10.00").due(loan, "2025-12-31", "1000", "0")
    return ledger


def test_ageing_bucket_boundaries(build):
    con = build(ageing_ledger())
    snap = dpd.loan_snapshot(con, AS_OF, PROFILE).set_index("loan_id")
    assert [int(snap.loc[f"A{d:03d}", "dpd"]) for d in DPDS] == list(DPDS)
    assert [snap.loc[f"A{d:03d}", "bucket"] for d in DPDS] == [
        "current", "1-29", "30-59", "30-59", "60-89", "60-89", "90+", "90+", "90+", "90+", "90+", "90+"]
    ageing = dpd.ageing(con, AS_OF, PROFILE)
    assert [(r.bucket, r.loans, r.balance) for r in ageing.itertuples()] == [
        ("current", 1, D("1000.00")), ("1-29", 1, D("1000.00")), ("30-59", 2, D("2000.00")),
        ("60-89", 2, D("2000.00")), ("90+", 6, D("6000.00"))]


def test_five_category_boundaries_and_bank_ratio(build):
    con = build(ageing_ledger())
    snap = dpd.loan_snapshot(con, AS_OF, PROFILE).set_index("loan_id")
    assert [snap.loc[f"A{d:03d}", "risk_class"] for d in DPDS] == [
        "normal", "special_mention", "special_mention", "special_mention", "special_mention", "special_mention",
        "special_mention",  # 90: not yet > 90
        "substandard", "substandard",  # 91, 270
        "doubtful", "doubtful",  # 271, 360
        "loss"]  # 361
    s = ratio.summary(con, AS_OF, PROFILE)
    # 不良 = 次级+可疑+损失 = loans at 91, 270, 271, 360, 361: 5,000 / 12,000 = 0.41666… (18 dp, half-up)
    assert s["bank_npl_balance"] == D("5000.00")
    assert s["bank_npl_ratio"] == Decimal("0.416666666666666667")
    # the scheme's R-NPL ratio: 11 of 12 loans are ≥ 1 DPD: 11,000 / 12,000
    assert s["npl_ratio"] == Decimal("0.916666666666666667")
    classes = classification.classification(con, AS_OF, PROFILE)
    assert [(r.risk_class, r.loans) for r in classes.itertuples()] == [
        ("normal", 1), ("special_mention", 6), ("substandard", 2), ("doubtful", 2), ("loss", 1)]


def test_breakdown_and_scope(build):
    ledger = dpd_ledger()
    ledger.loan("OTHER_BANK", "30000", "2023-12-10", "2024-02-10", bank="BankB", guarantor=None)
    ledger.due("OTHER_BANK", "2024-01-10", "0", "1.00").due("OTHER_BANK", "2024-02-10", "30000", "0")
    con = build(ledger)
    by_bank = ratio.breakdown(con, "2024-01-20", PROFILE, "bank").set_index("name")
    # BankA: 20,000 overdue of 50,000 = 0.4; BankB: 30,000 overdue of 30,000 = 1
    assert by_bank.loc["BankA", "npl_ratio"] == Decimal("0.4") and by_bank.loc["BankB", "npl_ratio"] == 1
    by_guarantor = ratio.breakdown(con, "2024-01-20", PROFILE, "guarantor")
    assert by_guarantor["name"].iloc[0] == "GuarA" and pd.isna(by_guarantor["name"].iloc[1])  # direct: none
    scoped = ratio.summary(con, "2024-01-20", PROFILE, scope={"bank": "BankB", "guarantor": None,
                                                               "appraiser": None})
    assert (scoped["active_balance"], scoped["npl_ratio"]) == (D("30000.00"), 1)
    program = ratio.summary(con, "2024-01-20", PROFILE)
    assert program["npl_ratio"] == Decimal("0.625")  # (20,000 + 30,000) / 80,000
    assert alert60.alerts(con, "2024-03-10", PROFILE, scope={"bank": "BankB"}).iloc[0]["action"] == "disposal"


def test_loan_state_probes_many_days_and_skips_unknown_loans(build):
    con = build(dpd_ledger())
    probes = pd.DataFrame({"loan_id": ["UNPAID", "UNPAID", "NOPE"],
                           "at": [day("2024-01-10"), day("2024-01-12"), day("2024-01-12")]})
    frame = dpd.loan_state_at(con, probes, PROFILE)
    assert [(r.loan_id, r.at, r.dpd) for r in frame.itertuples()] == [
        ("UNPAID", day("2024-01-10"), 0), ("UNPAID", day("2024-01-12"), 2)]
    history = dpd.loan_history(con, "UNPAID", PROFILE, end="2024-01-12")
    assert list(history["dpd"])[-3:] == [0, 1, 2]


def test_cached_results_follow_the_ledgers():
    """The engine caches intermediate results by a digest of the ledgers: a new row must show."""
    con = dpd_ledger().memory()  # a read-write connection: the data may change between calls
    try:
        assert state(con, "UNPAID", "2024-01-20")["dpd"] == 10
        assert ratio.summary(con, "2024-01-20", PROFILE)["overdue_balance"] == D("20000.00")
        con.execute("insert into repayments (row_key, loan_id, paid_on, principal_paid, interest_paid, batch_id) "
                    "values ('late', 'UNPAID', date '2024-01-15', 0, 100.00, 2)")
        assert state(con, "UNPAID", "2024-01-20")["dpd"] == 0  # paid on 15 Jan
        # only SHORT_002 (0.02 short) is still overdue: 10,000
        assert ratio.summary(con, "2024-01-20", PROFILE)["overdue_balance"] == D("10000.00")
    finally:
        con.close()


def test_cache_digest_sees_two_rows_swapping_their_amounts():
    """Found by the property test: two repayments swapping their interest amounts must not be served
    the other ledger's cached results (DuckDB's hash(a, b, …) is linear in its last argument, so a
    bit_xor of such hashes does not change when two rows swap their last values)."""
    first = dpd_ledger()
    first.pay("UNPAID", "2024-01-12", interest_paid="100.00").pay("UNPAID", "2024-01-25", interest_paid="50.00")
    second = dpd_ledger()
    second.pay("UNPAID", "2024-01-12", interest_paid="50.00").pay("UNPAID", "2024-01-25", interest_paid="100.00")
    con1, con2 = first.memory(), second.memory()
    try:
        assert state(con1, "UNPAID", "2024-01-20")["dpd"] == 0  # 100.00 paid on 12 Jan
        assert state(con2, "UNPAID", "2024-01-20")["dpd"] == 10  # only 50.00 by 20 Jan: late since 10 Jan
    finally:
        con1.close()
        con2.close()
