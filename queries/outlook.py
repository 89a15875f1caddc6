"""R-PROJ, R-BREAK, R-WALL, R-HHI, R-ROLL: the outlook — where the ratio goes if nothing new happens.

outlook/projection.sql gives the program-wide ratio for each of the next 90 days, base and stress
(R-PROJ), outlook/days_to_breach.sql the days to the first breach of each; outlook/break_count.sql
the headroom in loans (R-BREAK) and outlook/break_loans.sql those loans; outlook/wall.sql the
principal falling due within 30 / 60 / 90 days by bank (R-WALL); outlook/hhi.sql concentration by
bank, guarantor, appraiser, industry and ip_type (R-HHI); outlook/roll.sql the month-to-month
roll-rate matrix (R-ROLL).

Scope (R-SCOPE): days_to_breach, loans_to_breach and hhi are program-wide whatever the scope; the
wall, breach_loans and the roll matrix are limited to the scope's loans. Every figure is computed
over the program-wide snapshot (one staging per date), the scope filters in SQL.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from queries import derived, runner

HORIZON_DAYS = 90
WALL_HORIZONS = (30, 60, 90)
HHI_DIMENSIONS = ("bank", "guarantor", "appraiser", "industry", "ip_type")
ROLL_BUCKETS = ("new", "current", "1-29", "30-59", "60-89", "90+")
ROLL_STATES = ("repaid", "current", "1-29", "30-59", "60-89", "90+", "written_off")


def _staged(con, as_of, profile, scope=None) -> dict:
    """Parameters for ``as_of`` and ``scope``, with the program-wide snapshot registered as pw_snapshot
    (the outlook's figures are program-wide or filter the scope in SQL)."""
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, runner.program(p))
    return p


def projection(con, as_of, profile) -> pd.DataFrame:
    """The projected program-wide ratio (R-PROJ) for each day from ``as_of`` (days_ahead 0: the actual
    figures) to ``as_of`` + 90. Columns: day, days_ahead, base_active_balance, base_overdue_balance,
    base_npl_ratio, base_breach, stress_active_balance, stress_overdue_balance, stress_npl_ratio,
    stress_breach (exact Decimal; ratio None with no active balance)."""
    p = _staged(con, as_of, profile)
    return runner.frame(con, "outlook/projection", p)


def days_to_breach(con, as_of, profile, series: pd.DataFrame | None = None) -> dict:
    """{"base": int | None, "stress": int | None}: days from ``as_of`` to the first projected breach
    (R-PROJ); 0 when already above the halt line, None when not within 90 days."""
    if series is None:
        series = projection(con, as_of, profile)
    with runner.registered(con, "pw_outlook_projection", series):
        row = runner.one(con, "outlook/days_to_breach")
    return {"base": row["base"], "stress": row["stress"]}


def breach(con, as_of, profile, scope=None) -> dict:
    """R-BREAK: {"headroom" (Decimal, unrounded), "loans_to_breach" (int | None, program-wide),
    "breach_loans" (DataFrame: breach_rank, loan_id, bank, outstanding, matures_on, next_due_on — those of
    the first loans_to_breach loans in scope, in R-BREAK order)}."""
    p = _staged(con, as_of, profile, scope)
    count = runner.one(con, "outlook/break_count", p)
    k = count["loans_to_breach"]
    loans = runner.frame(con, "outlook/break_loans", dict(p, loans_to_breach=k))
    return {"headroom": count["headroom"], "loans_to_breach": k, "breach_loans": loans}


def wall(con, as_of, profile, scope=None) -> pd.DataFrame:
    """R-WALL: horizon, bank, principal_current, principal_late (exact Decimal), by horizon and bank."""
    p = _staged(con, as_of, profile, scope)
    return runner.frame(con, "outlook/wall", p)


def hhi(con, as_of, profile) -> pd.DataFrame:
    """R-HHI (program-wide): dimension, hhi, top_share (Decimal or None), segments — one row per
    HHI_DIMENSIONS in that order."""
    p = _staged(con, as_of, profile)
    return runner.frame(con, "outlook/hhi", p)


def month_ends(as_of) -> tuple[dt.date, dt.date]:
    """(m0, m1): m1 = ``as_of`` when it is a month end, else the month end before it; m0 the one
    before m1 (R-ROLL's consecutive month ends)."""
    as_of = runner.as_date(as_of)
    m1 = as_of if (as_of + dt.timedelta(days=1)).day == 1 else as_of.replace(day=1) - dt.timedelta(days=1)
    return m1.replace(day=1) - dt.timedelta(days=1), m1


def roll(con, as_of, profile, scope=None) -> dict:
    """R-ROLL between the two month ends of ``month_ends(as_of)``: {"m0", "m1", "matrix"}; matrix
    columns from_bucket, to_bucket, loans, balance, worse, roll_rate, from_rank, to_rank."""
    m0, m1 = month_ends(as_of)
    p = runner.params(profile, m1, scope)
    key = derived.prepare(con, p)
    at_m0 = derived.stage_snapshot(con, dict(p, as_of=m0), key)
    at_m1 = derived.stage_snapshot(con, runner.program(p), key)
    with runner.registered(con, "pw_roll_m0", at_m0), runner.registered(con, "pw_roll_m1", at_m1):
        matrix = runner.frame(con, "outlook/roll", dict(p, m0=m0, m1=m1))
    return {"m0": m0, "m1": m1, "matrix": matrix}


def outlook(con, as_of, profile, scope=None) -> dict:
    """Everything of the outlook at ``as_of`` except the roll matrix, exact values: the report's
    ``outlook`` key (LEDGER.md) plus the series and the breach loans' rows for the page.

    Keys: loans_to_breach, breach_loans (loan ids in R-BREAK order), days_to_breach {base, stress},
    wall (list of dicts), hhi (list of dicts: dimension, hhi, top_share), and for the page:
    headroom, breach_rows (DataFrame), projection (DataFrame), hhi_frame, wall_frame."""
    series = projection(con, as_of, profile)
    days = days_to_breach(con, as_of, profile, series)
    broken = breach(con, as_of, profile, scope)
    walls = wall(con, as_of, profile, scope)
    concentration = hhi(con, as_of, profile)
    return {
        "loans_to_breach": broken["loans_to_breach"],
        "breach_loans": list(broken["breach_loans"]["loan_id"]),
        "days_to_breach": days,
        "wall": _rows(walls, ("horizon", "bank", "principal_current", "principal_late")),
        "hhi": _rows(concentration, ("dimension", "hhi", "top_share")),
        "headroom": broken["headroom"],
        "breach_rows": broken["breach_loans"],
        "projection": series,
        "wall_frame": walls,
        "hhi_frame": concentration,
    }


REPORT_FIELDS = ("loans_to_breach", "breach_loans", "days_to_breach", "wall", "hhi")


def report_section(con, as_of, profile, scope=None) -> dict:
    """The report's ``outlook`` object (LEDGER.md): exactly REPORT_FIELDS."""
    full = outlook(con, as_of, profile, scope)
    return {k: full[k] for k in REPORT_FIELDS}


def _rows(frame: pd.DataFrame, columns) -> list[dict]:
    out = []
    for row in frame[list(columns)].itertuples(index=False):
        out.append({c: (None if v is None or (isinstance(v, float) and v != v) else
                        (int(v) if hasattr(v, "item") and not isinstance(v, (str,)) and c == "horizon" else v))
                    for c, v in zip(columns, row, strict=True)})
    return out
