"""R-OUT and R-DPD: outstanding principal and days past due, at probes, at a date, day by day.

dpd/flows.sql (payments per stream and day) and dpd/due_status.sql (the day each due became paid)
are the shared intermediates (``derived``); dpd/loan_state.sql gives the state at any (loan, day)
probes, dpd/snapshot.sql every loan at one date (with R-NPL's overdue flag, the ageing bucket and
R-CLASS's class), dpd/ageing.sql the ageing buckets.

Money is exact: loan_snapshot's money columns are Arrow decimal128 (``pd.ArrowDtype``), whose
elements and sums are ``Decimal`` (use ``.astype(float)`` for charts only).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from queries import derived, runner


def loan_state_at(con, probes, profile) -> pd.DataFrame:
    """Loan state at the end of each probe day (R-OUT, R-DPD), set-based.

    ``probes``: DataFrame or Arrow table with columns loan_id, at. Returns one row per distinct
    known (loan_id, at): loan_id, at, principal, disbursed_on, outstanding, active, dpd_principal,
    dpd_interest, dpd, oldest_unpaid_principal, oldest_unpaid_interest, oldest_unpaid_due.
    """
    p = runner.params(profile)
    derived.prepare(con, p)
    with runner.registered(con, "pw_probes_input", probes):
        con.register("pw_probes", runner.arrow(con, "dpd/probes"))
    derived.stage(con, "pw_state", p)
    return runner.frame(con, "dpd/state_rows")


def loan_snapshot(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Every loan disbursed by ``as_of`` (in scope) with its state at the end of that day.

    Columns: loan_id, enterprise_name, credit_code, bank, guarantor, appraiser, pledge_mode,
    principal, disbursed_on, matures_on, outstanding, dpd, dpd_principal, dpd_interest,
    oldest_unpaid_due, active, overdue, bucket, risk_class (R-OUT, R-DPD, R-NPL, R-CLASS).
    """
    p = runner.params(profile, as_of, scope)
    # dpd/snapshot.sql orders by loan_id. Money stays Arrow decimal128 (pd.ArrowDtype): exact, an
    # element is a Decimal, sums are Decimal, and 500,000 loans need no million Decimal objects.
    return derived.stage_snapshot(con, p).to_pandas(types_mapper=_decimal_as_arrow)


def _decimal_as_arrow(arrow_type):
    return pd.ArrowDtype(arrow_type) if pa.types.is_decimal(arrow_type) else None


def snapshot_rows(con, as_of, profile, scope=None, columns=None, active_only: bool = False) -> list[dict]:
    """The snapshot as row dicts with exact values (Decimal, date), ordered by loan_id: for reports.

    ``columns`` keeps only those keys and ``active_only`` only the active loans; both are applied
    in Arrow before any Python object is made (the report lists about a quarter of the loans)."""
    table = derived.stage_snapshot(con, runner.params(profile, as_of, scope))
    if active_only:
        table = table.filter(table["active"])
    if columns is not None:
        table = table.select(list(columns))
    return table.to_pylist()


def ageing(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Ageing buckets current / 1-29 / 30-59 / 60-89 / 90+ (R-DPD): bucket, min_dpd, max_dpd,
    loans, balance, balance_share."""
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, p)
    return runner.frame(con, "dpd/ageing", p)


def payments(con, loan_id: str, scope=None) -> pd.DataFrame:
    """One loan's repayments and principal events with outstanding after each (R-OUT); none for a
    loan outside ``scope`` (R-SCOPE), as for an unknown one."""
    return runner.frame(con, "dpd/loan_payments", dict(runner.scope_params(scope), loan_id=loan_id))


def loan_history(con, loan_id: str, profile, end=None, scope=None) -> pd.DataFrame:
    """One loan's state at the end of every day from disbursement to ``end`` (default: latest
    ledger date, at least the disbursement day): at, outstanding, active, dpd… Empty for an unknown
    loan or one outside ``scope`` (R-SCOPE)."""
    start = runner.one(con, "schedule/loan_start",
                       dict(runner.scope_params(scope), loan_id=loan_id)).get("disbursed_on")
    if start is None:
        return pd.DataFrame(columns=["loan_id", "at", "outstanding", "active", "dpd"])
    end = runner.as_date(end) if end is not None else (derived.latest_ledger_date(con) or start)
    end = max(end, start)
    days = pd.date_range(start, end, freq="D").date
    probes = pd.DataFrame({"loan_id": [loan_id] * len(days), "at": days})
    return loan_state_at(con, probes, profile)


def closure(con, loan_id: str, as_of, profile, scope=None) -> dict | None:
    """How one loan ended by ``as_of`` (dpd/closure.sql) with its state on its last active day: closure
    (repaid / compensated / written_off / compensated_written_off / renewed, None while owed),
    closed_on, and dpd and risk_class (R-CLASS) of the day before closed_on, which is where the DPD
    stops — interest left unpaid after a write-off does not keep a closed loan ageing. None for a loan
    outside ``scope`` (R-SCOPE), as for an unknown one."""
    row = runner.one(con, "dpd/closure", {"loan_id": loan_id, "as_of": runner.as_date(as_of)})
    terms = runner.one(con, "portfolio/loan_terms", dict(runner.scope_params(scope), loan_id=loan_id))
    if not terms:
        return None
    out = {"closure": row.get("closure"), "closed_on": row.get("closed_on"), "dpd": None, "risk_class": None}
    if out["closed_on"] is None:
        return out
    last_active = out["closed_on"] - dt.timedelta(days=1)
    if terms.get("disbursed_on") is None or last_active < terms["disbursed_on"]:
        return out
    snap = loan_snapshot(con, last_active, profile, {"bank": terms["bank"]})
    mine = snap[snap["loan_id"] == loan_id]
    if len(mine):
        out["dpd"], out["risk_class"] = int(mine["dpd"].iloc[0]), mine["risk_class"].iloc[0]
    return out
