"""A plain day-by-day Python model of R-PROJ and R-BREAK, written from RULES.md alone (not from the
SQL of queries/sql/outlook/): slow and obvious, Decimal throughout.

A book is a dict: loans {loan_id: {principal, disbursed_on, matures_on, renewed_from}}, dues
{loan_id: [(due_on, principal_due, interest_due)]} (every loan has a supplied schedule here),
pays {loan_id: [(paid_on, principal, interest)]}, writes {loan_id: [(event_on, amount)]}
(compensation and write-off amounts).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

ZERO = Decimal(0)


def _paid(book, loan_id, t):
    """(principal paid, interest paid) by the end of day t (R-OUT / R-DPD: compensation and write-off
    count as principal paid)."""
    principal = sum((p for d, p, _ in book["pays"].get(loan_id, []) if d <= t), ZERO)
    principal += sum((a for d, a in book["writes"].get(loan_id, []) if d <= t), ZERO)
    interest = sum((i for d, _, i in book["pays"].get(loan_id, []) if d <= t), ZERO)
    return principal, interest


def _stream_dpd(dues, paid, t, tol):
    """R-DPD for one stream: dues [(date, amount)], paid by t."""
    cum = ZERO
    for d, amount in sorted(dues):
        cum += amount
        if d < t and cum > paid + tol:
            return (t - d).days
    return 0


def _dpd(principal_dues, interest_dues, paid_p, paid_i, t, tol):
    return max(_stream_dpd(principal_dues, paid_p, t, tol), _stream_dpd(interest_dues, paid_i, t, tol))


def actual_state(book, loan_id, t, tol):
    """(outstanding, active, dpd) at the end of t from the ledgers."""
    loan = book["loans"][loan_id]
    paid_p, paid_i = _paid(book, loan_id, t)
    outstanding = max(loan["principal"] - paid_p, ZERO)
    active = loan["disbursed_on"] <= t and outstanding > 0
    dues = book["dues"].get(loan_id, [])
    dpd = _dpd([(d, p) for d, p, _ in dues if p > 0], [(d, i) for d, _, i in dues if i > 0], paid_p, paid_i, t, tol)
    return outstanding, active, dpd


def had_late_day(book, loan_id, t, tol):
    """DPD >= 1 on any day before t, this loan or any loan up its renewed_from chain."""
    seen = set()
    current = loan_id
    while current in book["loans"] and current not in seen:
        seen.add(current)
        start = book["loans"][current]["disbursed_on"]
        s = start
        while s < t:
            if actual_state(book, current, s, tol)[2] >= 1:
                return True
            s += dt.timedelta(days=1)
        current = book["loans"][current].get("renewed_from")
    return False


def projection(book, t, tol, threshold, halt):
    """[(u, base_active, base_overdue, base_breach, stress_active, stress_overdue, stress_breach)]
    for u = t … t + 90 (u = t: the actual state), and (days_to_breach base, stress)."""
    start = {}
    for loan_id, loan in book["loans"].items():
        if loan["disbursed_on"] > t:
            continue
        outstanding, active, dpd = actual_state(book, loan_id, t, tol)
        if not active:
            continue
        paid_p, paid_i = _paid(book, loan_id, t)
        dues = book["dues"].get(loan_id, [])
        p_dues = [(d, p) for d, p, _ in dues if p > 0]
        short = loan["principal"] - sum((p for _, p in p_dues), ZERO)
        if short > 0:  # completed with the remainder due on matures_on
            p_dues.append((loan["matures_on"], short))
        merged = {}
        for d, p in p_dues:
            merged[d] = merged.get(d, ZERO) + p
        start[loan_id] = dict(
            loan=loan, outstanding=outstanding, dpd=dpd, paid_p=paid_p, paid_i=paid_i,
            p_dues=sorted(merged.items()), i_dues=sorted((d, i) for d, _, i in dues if i > 0),
            stressed=dpd == 0 and had_late_day(book, loan_id, t, tol))
    rows = []
    for k in range(91):
        u = t + dt.timedelta(days=k)
        row = [u]
        for case in ("base", "stress"):
            active_sum = overdue_sum = ZERO
            for s in start.values():
                if k == 0:
                    outstanding, dpd = s["outstanding"], s["dpd"]
                else:
                    paid_p, paid_i = s["paid_p"], s["paid_i"]
                    if s["dpd"] == 0:
                        cum = ZERO
                        for d, amount in s["p_dues"]:
                            cum += amount
                            skip = case == "stress" and s["stressed"] and d >= s["loan"]["matures_on"]
                            if t <= d <= u and not skip:
                                paid_p = max(paid_p, cum)
                        cum = ZERO
                        for d, amount in s["i_dues"]:
                            cum += amount
                            if t <= d <= u:
                                paid_i = max(paid_i, cum)
                    outstanding = max(s["loan"]["principal"] - paid_p, ZERO)
                    dpd = _dpd(s["p_dues"], s["i_dues"], paid_p, paid_i, u, tol)
                if outstanding > 0:
                    active_sum += outstanding
                    if dpd >= threshold:
                        overdue_sum += outstanding
            row += [active_sum, overdue_sum, active_sum > 0 and overdue_sum > halt * active_sum]
        rows.append(tuple(row))
    base = next((k for k, r in enumerate(rows) if r[3]), None)
    stress = next((k for k, r in enumerate(rows) if r[6]), None)
    return rows, (base, stress)


def loans_to_breach(book, t, tol, threshold, halt):
    """R-BREAK: (k, [loan_id]) from the actual state at t."""
    active_sum = overdue_sum = ZERO
    current = []
    for loan_id in book["loans"]:
        outstanding, active, dpd = actual_state(book, loan_id, t, tol)
        if not active:
            continue
        active_sum += outstanding
        if dpd >= threshold:
            overdue_sum += outstanding
        if dpd == 0:
            current.append((outstanding, loan_id))
    headroom = halt * active_sum - overdue_sum
    if headroom < 0:
        return 0, []
    current.sort(key=lambda r: (-r[0], r[1]))
    total = ZERO
    for k, (outstanding, _) in enumerate(current, start=1):
        total += outstanding
        if total > headroom:
            return k, [loan_id for _, loan_id in current[:k]]
    return None, []
