"""R-IPSTAT and R-COVER: the pledged IP's legal status, the annual-fee calendar and each loan's
collateral coverage at any date (collateral/*.sql).

``ip_watch`` (collateral/ip_watch.sql) is one row per (loan, pledged IP); it is registered as
``collateral_ip_watch`` for coverage.sql and fee_calendar.sql, and coverage as
``collateral_coverage`` for totals.sql, so that one call stages each once. Money and ratios stay
``decimal.Decimal``; every boundary (due soon, grace, under-secured) is decided in SQL on DATE,
DECIMAL or integers.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from queries import derived, runner

IP_WATCH = "collateral_ip_watch"
COVERAGE = "collateral_coverage"
# statuses that need no attention of their own (LEDGER.md: the report lists the others)
QUIET_STATUSES = ("valid", "pledge_registered", "fee_paid", "restored")
HORIZONS = (30, 60, 90)


def _staged(con, p: dict, active_only: bool = False) -> dict:
    """ip_watch and coverage at p's as_of and scope as Arrow tables, both registered on ``con``.
    ``active_only``: only the rows of loans active at as_of — all that fee_calendar, totals, the page
    and the report read (a quarter of the book at 500k loans; each row depends on its own loan only,
    so those rows are the same either way)."""
    derived.stage_snapshot(con, p)
    q = dict(p, active_only=active_only)
    watch = runner.arrow(con, "collateral/ip_watch", q)
    con.register(IP_WATCH, watch)
    coverage = runner.arrow(con, "collateral/coverage", q)
    con.register(COVERAGE, coverage)
    return {"ip_watch": watch, "coverage": coverage}


def ip_watch(con, as_of, profile, scope=None) -> pd.DataFrame:
    """R-IPSTAT: one row per (loan disbursed by as_of, pledged IP): status, fee_paid_until,
    fee_grace_until, fee_watch, next_fee_due, expires_before_maturity, watch, lost, at_risk, with
    the loan's names, outstanding and active."""
    p = runner.params(profile, as_of, scope)
    return runner.object_frame(_staged(con, p)["ip_watch"])


def coverage(con, as_of, profile, scope=None) -> pd.DataFrame:
    """R-COVER: one row per loan disbursed by as_of: pledge_value after losses, ltv (unrounded),
    under_secured, uncovered, has_lost, has_at_risk."""
    p = runner.params(profile, as_of, scope)
    return runner.object_frame(_staged(con, p)["coverage"])


def fee_calendar(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Annual fees of pledged patents (active loans, IP not lost) due within 90 days of as_of, with
    horizon 30 / 60 / 90 and days_left (R-IPSTAT next_fee_due)."""
    p = runner.params(profile, as_of, scope)
    _staged(con, p, active_only=True)
    return runner.objects(con, "collateral/fee_calendar", p)


def totals(con, as_of, profile, scope=None) -> dict:
    """coverage_totals (R-COVER): lost_balance, at_risk_balance, uncovered, and the loan counts."""
    p = runner.params(profile, as_of, scope)
    _staged(con, p, active_only=True)
    return runner.one(con, "collateral/totals", p)


def watch(con, as_of, profile, scope=None) -> dict:
    """Everything the collateral page shows, staged once: ip_watch, coverage, fee_calendar, totals."""
    return _watch(con, runner.params(profile, as_of, scope))


def _watch(con, p: dict, active_only: bool = False) -> dict:
    staged = _staged(con, p, active_only)
    return {
        "ip_watch": runner.object_frame(staged["ip_watch"]),
        "coverage": runner.object_frame(staged["coverage"]),
        "fee_calendar": runner.objects(con, "collateral/fee_calendar", p),
        "totals": runner.one(con, "collateral/totals", p),
    }


def page(con, as_of, profile, scope=None) -> dict:
    """The collateral page's figures: ``watch`` narrowed to active loans (ip_watch, coverage), plus
    at_risk_ips (pledged IP lost or at risk, lost first), ip_lost / ip_at_risk (their counts) and
    under_secured (coverage rows under-secured, largest uncovered first, then loan_id)."""
    d = _watch(con, runner.params(profile, as_of, scope), active_only=True)  # it shows active loans only
    ips = d["ip_watch"][d["ip_watch"]["active"].astype(bool)]
    cov = d["coverage"][d["coverage"]["active"].astype(bool)]
    lost, at_risk = ips["lost"].astype(bool), ips["at_risk"].astype(bool)
    return dict(d, ip_watch=ips, coverage=cov, at_risk_ips=ips[lost | at_risk], ip_lost=int(lost.sum()),
                ip_at_risk=int(at_risk.sum()),
                under_secured=cov[cov["under_secured"].astype(bool)].sort_values(["uncovered", "loan_id"],
                                                                                   ascending=[False, True]))


def report_sections(con, as_of, profile, scope=None) -> dict:
    """The report's collateral, coverage and coverage_totals (LEDGER.md): pledged IP of active
    loans with a status needing attention or a watch; active loans with a lost or at-risk IP or
    under-secured; the totals — all over the loans in ``scope`` (R-SCOPE; None: the program).
    Sorted by loan_id then ip_number. Staged over active loans only, and filtered in Arrow: only the
    few rows listed become Python values."""
    p = runner.params(profile, as_of, scope)
    staged = _staged(con, p, active_only=True)
    ips = staged["ip_watch"]
    ips = ips.filter(pc.and_(_flag(ips["active"]), pc.or_(pc.invert(pc.is_in(ips["status"], pa.array(QUIET_STATUSES))),
                                                         pc.is_valid(ips["watch"]))))
    cov = staged["coverage"]
    cov = cov.filter(pc.and_(_flag(cov["active"]), pc.or_(pc.or_(_flag(cov["has_lost"]), _flag(cov["has_at_risk"])),
                                                         _flag(cov["under_secured"]))))
    collateral = [{"loan_id": r["loan_id"], "ip_number": r["ip_number"], "status": r["status"], "watch": r["watch"],
                   "lost": bool(r["lost"]), "at_risk": bool(r["at_risk"])}
                  for r in ips.select(["loan_id", "ip_number", "status", "watch", "lost", "at_risk"]).to_pylist()]
    coverage_rows = cov.select(["loan_id", "pledge_value", "ltv", "uncovered"]).to_pylist()
    t = runner.one(con, "collateral/totals", p)
    return {
        "collateral": sorted(collateral, key=lambda r: (r["loan_id"], r["ip_number"])),
        "coverage": sorted(coverage_rows, key=lambda r: r["loan_id"]),
        "coverage_totals": {k: t[k] for k in ("lost_balance", "at_risk_balance", "uncovered")},
    }


def _flag(column):
    """A boolean column with null as false (what ``.astype(bool)`` of the object frame gave)."""
    return pc.fill_null(column, False)


def status_history(con, loan_id: str, scope=None) -> pd.DataFrame:
    """Every ip_status record of the IP one loan pledges, in date and same-day precedence order; none
    for a loan outside ``scope`` (R-SCOPE)."""
    return runner.objects(con, "collateral/status_history", dict(runner.scope_params(scope), loan_id=loan_id))
