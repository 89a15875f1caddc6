"""Property test: R-IPSTAT and R-COVER in SQL against a plain Python reading of RULES.md.

Random small books (1–3 loans, a shared pool of IP numbers so that one IP may back several loans,
items with and without values, random legal-status records, fee dates on both sides of the window,
principal repayments). The reference below loops over every day with dates, Fractions and
Decimals, written from the text of RULES.md (not from the SQL); the engine must agree for every
(loan, IP), every loan and the program totals on every day where any rule's input can change —
each record, fee, grace-end, expiry, disbursement, repayment and filing-anniversary date, the day
before and the day after it, and the window's ends. Every state of RULES.md is a step function of
the date that only changes at those days, so this is every distinct day of the window (a query is
~0.3 s on these shared cores; all 60 days of 25 books took over ten minutes).
"""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from collateral_fixtures import PROFILE, book
from engine_fixtures import Ledger
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import store
from queries import collateral

BASE = dt.date(2024, 1, 1)
DAYS = 60
ORDER = ["valid", "fee_paid", "restored", "fee_overdue", "invalidation_requested", "partially_invalidated",
         "terminated", "invalidated", "expired", "pledge_released", "pledge_registered"]
PATENTS = ("invention_patent", "utility_model")
POOL = ("ZL201810000001.5", "ZL201920000002.1", "TM-1", "TM-2")
WARN = PROFILE.ip_fee_warning_days
RATE = PROFILE.max_pledge_rate


# ---------------------------------------------------------------- reference model

def months_later(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def years_later(d: dt.date, n: int) -> dt.date:
    y = d.year + n
    return dt.date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def ref_ip(item: dict, loan: dict, records: list[dict], t: dt.date) -> dict:
    mine = [r for r in records if r["number"] == item["number"] and r["on"] <= t]
    if mine:
        last = max(mine, key=lambda r: (r["on"], ORDER.index(r["status"])))
        status, status_on = last["status"], last["on"]
    else:
        status, status_on = "valid", None
    patent = item["type"] in PATENTS
    paid_until = None
    giving = [r for r in mine if r["until"] is not None]
    if patent and giving:
        day = max(r["on"] for r in giving)
        paid_until = max(r["until"] for r in giving if r["on"] == day)
    fee = None
    if paid_until is not None:
        if paid_until < t <= months_later(paid_until, 6):
            fee = "fee_grace"
        elif t > months_later(paid_until, 6):
            fee = "lapsed"
        elif 0 <= (paid_until - t).days <= WARN:
            fee = "fee_due_soon"
    next_due = paid_until
    if next_due is None and patent and item["filed"] is not None:
        k = 1
        while years_later(item["filed"], k) <= t:
            k += 1
        next_due = years_later(item["filed"], k)
    expires = item["expires"]
    before_maturity = expires is not None and expires < loan["matures_on"]
    watch = fee or ("expires_before_maturity" if before_maturity else None)
    lost = (status in ("terminated", "invalidated", "expired")
            or (status == "pledge_released" and status_on > loan["disbursed_on"])
            or fee == "lapsed" or (expires is not None and expires < t))
    at_risk = not lost and (fee in ("fee_due_soon", "fee_grace")
                            or status in ("fee_overdue", "invalidation_requested", "partially_invalidated"))
    return {"status": status, "fee_paid_until": paid_until, "fee_watch": fee, "next_fee_due": next_due,
            "watch": watch, "lost": lost, "at_risk": at_risk}


def cents(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ref_loan(loan: dict, items: list[dict], lost: dict, t: dt.date) -> dict:
    outstanding = loan["principal"] - sum((a for d, a in loan["repaid"] if d <= t), Decimal(0))
    outstanding = max(outstanding, Decimal(0))
    base = min(loan["appraised"], loan["fair"] if loan["fair"] is not None else loan["appraised"])
    mine = [i for i in items if i["loan_id"] == loan["loan_id"]]
    if not mine:
        share = Fraction(1)
    else:
        equal = any(i["value"] is None for i in mine)
        weight = {i["number"]: Fraction(1) if equal else Fraction(i["value"]) for i in mine}
        share = sum(weight[i["number"]] for i in mine if not lost[i["number"]]) / sum(weight.values())
    value = Fraction(base) * share
    out = Fraction(outstanding)
    ltv = out / value if value != 0 else None
    under = (value == 0 and out > 0) or (ltv is not None and ltv > Fraction(RATE))
    uncovered = cents(out - Fraction(RATE) * value) if under else Decimal("0.00")
    return {"outstanding": outstanding, "active": outstanding > 0, "pledge_value": cents(value),
            "ltv": None if ltv is None else (Decimal(ltv.numerator) / Decimal(ltv.denominator)).quantize(
                Decimal("1e-18"), rounding=ROUND_HALF_UP),
            "under_secured": under, "uncovered": uncovered,
            "has_lost": any(lost[i["number"]] for i in mine)}


# ---------------------------------------------------------------- random books

def day(offset: int) -> dt.date:
    return BASE + dt.timedelta(days=offset)


@st.composite
def books(draw):
    loans, items, records = [], [], []
    for n in range(draw(st.integers(1, 3))):
        principal = Decimal(draw(st.integers(1, 60))) * 10000
        appraised = Decimal(draw(st.integers(1, 120))) * 10000 + Decimal(draw(st.sampled_from(["0", "0.01", "0.33"])))
        repaid = [(day(draw(st.integers(0, DAYS))), Decimal(draw(st.integers(1, 30))) * 10000)
                  for _ in range(draw(st.integers(0, 2)))]
        loans.append({"loan_id": f"L{n}", "principal": principal, "appraised": appraised,
                      "fair": draw(st.one_of(st.none(), st.just(appraised - 5000))),
                      "disbursed_on": day(draw(st.integers(-40, 10))), "matures_on": day(draw(st.integers(20, 400))),
                      "repaid": repaid})
        for number in draw(st.lists(st.sampled_from(POOL), max_size=3, unique=True)):
            ip_type = draw(st.sampled_from(PATENTS)) if number.startswith("ZL") else "trademark"
            items.append({"loan_id": f"L{n}", "number": number, "type": ip_type,
                          "value": draw(st.one_of(st.none(), st.integers(1, 9).map(lambda v: v * 100000))),
                          "expires": draw(st.one_of(st.none(), st.integers(-10, 500).map(day))),
                          "filed": draw(st.one_of(st.none(), st.sampled_from(
                              [dt.date(2016, 2, 29), dt.date(2018, 1, 20), dt.date(2019, 3, 5)])))})
    for _ in range(draw(st.integers(0, 7))):
        status = draw(st.sampled_from(ORDER))
        needs = status in ("fee_paid", "restored")
        until = draw(st.integers(-220, 120).map(day)) if needs or draw(st.booleans()) else None
        records.append({"number": draw(st.sampled_from(POOL)), "on": day(draw(st.integers(-30, DAYS))),
                        "status": status, "until": until})
    # the ledger's key (ip_number, status_on, status) is unique
    unique = {(r["number"], r["on"], r["status"]): r for r in records}
    return loans, items, list(unique.values())


def build(loans, items, records, path: Path) -> None:
    ledger = Ledger()
    for loan in loans:
        ledger.loan(loan["loan_id"], loan["principal"], loan["disbursed_on"], loan["matures_on"])
        for on, amount in loan["repaid"]:
            ledger.pay(loan["loan_id"], on, principal_paid=amount)
    rows = [(i["loan_id"], i["type"], i["number"], i["expires"], i["value"], i["filed"]) for i in items]
    recs = [(r["number"], r["on"], r["status"], r["until"]) for r in records]
    con = book(ledger, rows, recs, values={x["loan_id"]: (x["appraised"], x["fair"]) for x in loans})
    try:
        con.execute(f"attach '{path}' as out")   # test-made temp path
        con.execute("copy from database memory to out")
    finally:
        con.close()


def probe_days(loans, items, records) -> list[dt.date]:
    """The days where some state may change (see the module docstring), with their neighbours."""
    points = {day(-5), day(DAYS)}
    for r in records:
        points.add(r["on"])
        if r["until"] is not None:
            u = r["until"]
            points |= {u, u - dt.timedelta(days=WARN), months_later(u, 6)}
    for i in items:
        if i["expires"] is not None:
            points.add(i["expires"])
        if i["filed"] is not None:
            points |= {years_later(i["filed"], k) for k in range(1, 12)}
    for x in loans:
        points.add(x["disbursed_on"])
        points |= {on for on, _ in x["repaid"]}
    days = {p + dt.timedelta(days=k) for p in points for k in (-1, 0, 1)}
    return sorted(d for d in days if day(-5) <= d <= day(DAYS))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_collateral_watch_and_coverage_agree_with_the_reference_on_every_day(book_):
    loans, items, records = book_
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.duckdb"
        build(loans, items, records, path)
        with store.read_connection(path) as con:   # read-only: the engine stages its inputs once
            check_every_day(con, loans, items, records)


def check_every_day(con, loans, items, records) -> None:
    by_id = {x["loan_id"]: x for x in loans}
    for t in probe_days(loans, items, records):
        got = collateral.watch(con, t, PROFILE)
        live = [x for x in loans if x["disbursed_on"] <= t]
        want_ip = {}
        lost = {x["loan_id"]: {} for x in live}
        for i in items:
            loan = by_id[i["loan_id"]]
            if loan["disbursed_on"] <= t:
                want_ip[(i["loan_id"], i["number"])] = ref_ip(i, loan, records, t)
                lost[i["loan_id"]][i["number"]] = want_ip[(i["loan_id"], i["number"])]["lost"]
        got_ip = {(r["loan_id"], r["ip_number"]): {k: r[k] for k in ref_keys()}
                  for r in got["ip_watch"].to_dict("records")}
        assert got_ip == want_ip, t
        want_cov = {x["loan_id"]: ref_loan(x, items, lost[x["loan_id"]], t) for x in live}
        got_cov = {r["loan_id"]: {k: r[k] for k in next(iter(want_cov.values()))}
                   for r in got["coverage"].to_dict("records")} if want_cov else {}
        assert got_cov == want_cov, t
        active = [(lid, c) for lid, c in want_cov.items() if c["active"]]
        at_risk = {lid for (lid, _), s in want_ip.items() if s["at_risk"]}
        totals = got["totals"]
        assert totals["lost_balance"] == sum((c["outstanding"] for _, c in active if c["has_lost"]), Decimal(0))
        assert totals["at_risk_balance"] == sum((c["outstanding"] for lid, c in active if lid in at_risk),
                                                Decimal(0))
        assert totals["uncovered"] == sum((c["uncovered"] for _, c in active), Decimal(0))


def ref_keys():
    return ("status", "fee_paid_until", "fee_watch", "next_fee_due", "watch", "lost", "at_risk")
