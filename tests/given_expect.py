"""Given/expect cases for the engine's queries, after dbt's ``unit_tests`` (dbt-labs/jaffle-shop).

A case is data: ``given`` = a few input rows per ledger, ``params`` = the as_of date and profile
overrides, ``query`` = the query under test (a key of QUERIES: the SQL file's folder/name), and
``expect`` = the exact output rows, in the query's order, with only the columns that matter
(each expected row names its own columns; every other column is ignored, but an extra or a
missing row fails). The expected values are computed by hand in the comments of each case, not
copied from the engine.

The ledger rows go through the Ledger builder (tests/engine_fixtures.py) into a real DuckDB file:
    loans       keyword arguments of Ledger.loan      (loan_id, principal, disbursed_on, matures_on, …)
    schedule    (loan_id, due_on, principal_due, interest_due)
    repayments  (loan_id, paid_on, principal_paid, interest_paid)
    events      (loan_id, event_on, kind, amount, party)
    decisions   (decided_on, kind)
    collateral  keyword arguments of Ledger.pledge    (loan_id, ip_number, ip_type, ip_expires_on)
params: as_of (text date), profile (overrides of profile values, e.g. {"interest_day": 20}),
subsidy_policy (the rows of the profile's subsidy policy table), rules (compliance rules to run).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from engine_fixtures import Ledger, with_values

from pipelines import store
from queries import alert60, claims, compliance, dpd, halt, ratio, subsidies


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    given: dict[str, list]
    expect: list[dict]
    params: dict = field(default_factory=dict)


def _profile(params: dict):
    prof = with_values(**params.get("profile", {}))
    if "subsidy_policy" in params:
        prof = dataclasses.replace(prof, extra={**prof.extra, "subsidy_policy": params["subsidy_policy"]})
    return prof


def _records(result) -> list[dict]:
    if isinstance(result, dict):  # a one-row answer (ratio.summary)
        return [result]
    return result.to_dict("records")


# query name (its SQL file under queries/sql) → the public function that runs it
QUERIES = {
    "dpd/snapshot": lambda con, p: dpd.loan_snapshot(con, p["as_of"], _profile(p)),
    "ratio/summary": lambda con, p: ratio.summary(con, p["as_of"], _profile(p)),
    "halt/halt_episodes": lambda con, p: halt.halt_episodes(con, _profile(p), end=p.get("as_of")),
    "alert60/alerts": lambda con, p: alert60.alerts(con, p["as_of"], _profile(p)),
    "claims/claims": lambda con, p: claims.claims(con, p["as_of"], _profile(p)),
    "compliance/exceptions": lambda con, p: compliance.exceptions(con, p["as_of"], _profile(p),
                                                                  rules=p.get("rules", compliance.RULES)),
    "subsidies/eligible": lambda con, p: subsidies.eligible(con, p["as_of"], _profile(p)),
}


def ledger(given: dict[str, list]) -> Ledger:
    """The Ledger holding a case's ``given`` rows."""
    unknown = set(given) - {"loans", "schedule", "repayments", "events", "decisions", "collateral"}
    if unknown:
        raise ValueError(f"unknown ledgers {sorted(unknown)}")
    out = Ledger()
    for row in given.get("loans", []):
        out.loan(**row)
    for row in given.get("schedule", []):
        out.due(*row)
    for row in given.get("repayments", []):
        out.pay(*row)
    for row in given.get("events", []):
        out.event(*row)
    for row in given.get("decisions", []):
        out.decision(*row)
    for row in given.get("collateral", []):
        out.pledge(**row)
    return out


def plain(value):
    """A cell as a plain Python value: None for every kind of missing, int/bool/date for numpy and
    pandas scalars; Decimals stay Decimals (an expected Decimal never equals a float)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (Decimal, dt.date)):
        return value.item()
    return value


def run(case: Case, tmp_path) -> list[dict]:
    """Write the case's ledgers into a fresh database, run its query, return the rows projected onto
    the columns of the expected rows (row i onto the columns of expected row i)."""
    path = tmp_path / f"{case.name}.duckdb"
    ledger(case.given).write(path)
    with store.read_connection(path) as con:
        rows = _records(QUERIES[case.query](con, case.params))
    out = []
    for i, row in enumerate(rows):
        # a row beyond the expected ones is shown whole, so that the failure says what it is
        cols = list(case.expect[i]) if i < len(case.expect) else list(row)
        out.append({c: plain(row[c]) for c in cols})
    return out
