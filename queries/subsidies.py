"""Interest, fee and patent-pledge subsidies (R-SUB): what enterprises may claim, what was paid.

The per-year policy is data: the profile's ``[[subsidy_policy]]`` array (data/profiles/anyi.toml),
one table per year with the columns of RULES.md R-SUB plus ``interest_cap_total_per_enterprise``
(the Jiangxi 2015 measures cap interest subsidy per enterprise *in total*, not per year).
A year without its own row uses the latest earlier row, and every figure resting on such a row,
or on a row the bureau has not confirmed, says ``confirmed = False``.

The rules are in queries/sql/subsidies/ (eligible.sql, paid.sql, comparison.sql …);
this module registers the policy (``subsidy_policy``) and the paid-off day of each loan
(``subsidy_paid_off``, subsidies/paid_off.sql, read by both sides), and has the engine stage its
flows and due status (``pw_flows``, ``pw_due_status``: stored at ingest or cached per process by a
ledger digest, shared with the risk pages), so "never DPD >= 1" uses exactly the engine's schedule
and settlement days. Totals (by_enterprise, year_total) are summed in SQL over the eligible rows,
so no caller pays for a Python ``Decimal`` per row unless it asks for the rows.
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pandas as pd
import pyarrow as pa

from queries import derived, runner
from queries.runner import registered

KINDS = ("interest", "appraisal_fee", "guarantee_fee", "patent_pledge")

_SHARE = pa.decimal128(9, 4)
_MONEY = pa.decimal128(18, 2)
POLICY_SCHEMA = pa.schema([
    ("year", pa.int32()),
    ("interest_share", _SHARE),
    ("interest_base", pa.string()),
    ("appraisal_fee_share", _SHARE),
    ("guarantee_fee_share", _SHARE),
    ("require_on_time", pa.bool_()),
    ("cap_per_enterprise", _MONEY),
    ("interest_cap_total_per_enterprise", _MONEY),
    ("per_invention_patent_pledge", _MONEY),
    ("patent_pledge_cap_per_enterprise", _MONEY),
    ("source", pa.string()),
    ("confirmed", pa.bool_()),
])
_DEFAULTS = {"interest_share": 0, "interest_base": "actual", "appraisal_fee_share": 0, "guarantee_fee_share": 0,
             "require_on_time": True, "source": "", "confirmed": False}

POLICY, ELIGIBLE_ROWS, PAID_ROWS = "subsidy_policy", "subsidy_eligible_rows", "subsidy_paid_rows"
PAID_OFF = "subsidy_paid_off"
COMPARISON_ROWS = "subsidy_comparison_rows"  # the fixed view name subsidy_rollup.sql reads
_COMPARISON_SCHEMA = pa.schema([("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
                                ("enterprise_name", pa.string()), ("kind", pa.string()),
                                ("eligible", pa.decimal128(38, 2)),
                                ("paid", pa.decimal128(38, 2)), ("difference", pa.decimal128(38, 2)),
                                ("confirmed", pa.bool_())])


def policy_rows(profile=None) -> list[dict]:
    """The profile's subsidy policy rows, validated, with defaults filled and amounts as Decimal."""
    prof = runner.profile_or_default(profile)
    rows = []
    for raw in prof.extra.get("subsidy_policy", []):
        unknown = set(raw) - set(POLICY_SCHEMA.names)
        if unknown:
            raise ValueError(f"补贴政策表含未知字段 {sorted(unknown)} / unknown subsidy policy fields {sorted(unknown)}")
        row = {**_DEFAULTS, **raw}
        if "year" not in raw:
            raise ValueError("补贴政策表每行须有 year / every subsidy policy row needs a year")
        if row["interest_base"] not in ("actual", "lpr"):
            raise ValueError(f"interest_base 须为 actual 或 lpr / interest_base must be actual or lpr: {row}")
        for name in POLICY_SCHEMA.names:
            if isinstance(POLICY_SCHEMA.field(name).type, pa.Decimal128Type) and row.get(name) is not None:
                row[name] = Decimal(str(row[name]))
        rows.append({name: row.get(name) for name in POLICY_SCHEMA.names})
    years = [r["year"] for r in rows]
    if len(years) != len(set(years)):
        raise ValueError(f"补贴政策表年份重复 / duplicate subsidy policy years {sorted(years)}")
    return sorted(rows, key=lambda r: r["year"])


def policy_table(profile=None) -> pa.Table:
    """The policy as an Arrow table with exact DECIMAL columns (what the SQL reads)."""
    return pa.Table.from_pylist(policy_rows(profile), schema=POLICY_SCHEMA)


@contextmanager
def _staged(con, as_of, prof):
    """The relations the subsidy SQL reads, registered on ``con`` for the duration of a block: the
    engine's pw_flows and pw_due_status (R-OUT, R-DPD; derived.prepare, from the store or the
    process cache), the policy, and subsidy_paid_off at ``as_of``. The paid-off day is a lazy
    relation (no rows are fetched): each query that reads it plans it together with its own work."""
    derived.prepare(con, runner.params(prof))
    paid_off = runner.relation(con, "subsidies/paid_off", runner.params(prof, as_of))
    with registered(con, POLICY, policy_table(prof)), registered(con, PAID_OFF, paid_off):
        yield


def _eligible_relation(con, as_of, prof, scope=None):
    """subsidy_eligible.sql at ``as_of`` (rows of the loans in ``scope``, R-SCOPE) as a lazy DuckDB
    relation; call inside ``_staged``."""
    return runner.relation(con, "subsidies/eligible", runner.params(prof, as_of, scope))


def _eligible_table(con, as_of, prof, scope=None) -> pa.Table:
    """subsidy_eligible.sql's rows as an Arrow table (exact DECIMAL, no Python object per value), in
    subsidies/eligible_sorted.sql's order."""
    with _staged(con, as_of, prof), registered(con, ELIGIBLE_ROWS, _eligible_relation(con, as_of, prof, scope)):
        return runner.arrow(con, "subsidies/eligible_sorted")


def eligible(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """Eligible subsidy per loan and kind at the end of ``as_of`` (R-SUB), after the caps.

    Columns: year, credit_code, enterprise_name, bank, loan_id, kind, amount, uncapped_amount,
    capped, base, share, paid_off_on, policy_year, confirmed, source. Amounts are Decimal.
    For totals use by_enterprise or year_total, which sum in SQL. The caps are the enterprise's over
    all its loans; ``scope`` (R-SCOPE) keeps the rows of the loans in it.
    """
    return runner.object_frame(_eligible_table(con, as_of, runner.profile_or_default(profile), scope))


def by_enterprise(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """Eligible subsidy per (year, credit_code, kind) — the report JSON's ``subsidies`` list —
    with enterprise_name and confirmed (False when any part rests on an unconfirmed year).
    Summed in SQL (subsidies/by_enterprise.sql); amount is Decimal."""
    cols = ["year", "credit_code", "kind", "enterprise_name", "amount", "confirmed"]
    frame = by_enterprise_table(con, as_of, profile, scope).to_pandas()
    if frame.empty:
        return pd.DataFrame(columns=cols)
    return frame.assign(enterprise_name=frame["enterprise_name"].astype(object))[cols]


def by_enterprise_table(con, as_of, profile=None, scope=None) -> pa.Table:
    """by_enterprise as an Arrow table (exact decimal128 amounts): for the report, which turns its
    rows straight into Python values without a pandas frame in between."""
    prof = runner.profile_or_default(profile)
    # the eligible rows stay inside DuckDB: one plan, no Arrow copy of every (loan, kind) row
    with _staged(con, as_of, prof), registered(con, ELIGIBLE_ROWS, _eligible_relation(con, as_of, prof, scope)):
        return runner.arrow(con, "subsidies/by_enterprise", runner.params(prof, as_of))


def year_total(con, as_of, profile=None, scope=None) -> dict:
    """The eligible subsidy of the year of ``as_of`` (R-SUB, loans finally repaid that year, after
    the caps), summed in SQL (subsidies/year_total.sql): {"amount": Decimal,
    "unconfirmed": bool — some part rests on an unconfirmed or carried-forward policy year}."""
    prof = runner.profile_or_default(profile)
    with _staged(con, as_of, prof), registered(con, ELIGIBLE_ROWS, _eligible_relation(con, as_of, prof, scope)):
        row = runner.one(con, "subsidies/year_total", runner.params(prof, as_of))
    amount = row["amount"] if row["rows"] else Decimal(0)
    return {"amount": amount, "unconfirmed": bool(row["unconfirmed"])}


def paid(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """Subsidy payments of the ledger dated <= as_of with the year they belong to (year, year_basis,
    credit_code, enterprise_name, bank, loan_id, kind, amount, paid_on); with a ``scope`` (R-SCOPE)
    those for its loans."""
    prof = runner.profile_or_default(profile)
    with _staged(con, as_of, prof):
        return runner.objects(con, "subsidies/paid", runner.params(prof, as_of, scope))


def comparison(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """Eligible beside paid per (year, bank, credit_code, kind): eligible, paid, difference = paid −
    eligible, confirmed. Rows exist where either side has an amount."""
    prof = runner.profile_or_default(profile)
    elig_t = _eligible_table(con, as_of, prof, scope).select(
        ["year", "bank", "credit_code", "enterprise_name", "kind", "amount", "confirmed"]).cast(pa.schema([
            ("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
            ("enterprise_name", pa.string()), ("kind", pa.string()), ("amount", _MONEY),
            ("confirmed", pa.bool_())]))
    pays = paid(con, as_of, prof, scope)
    pays_t = pa.Table.from_pandas(pays[["year", "bank", "credit_code", "enterprise_name", "kind", "amount"]],
                                  preserve_index=False, schema=pa.schema([
        ("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
        ("enterprise_name", pa.string()), ("kind", pa.string()), ("amount", _MONEY)]))
    with registered(con, POLICY, policy_table(prof)), registered(con, ELIGIBLE_ROWS, elig_t), \
            registered(con, PAID_ROWS, pays_t):
        return runner.objects(con, "subsidies/comparison", runner.params(prof, as_of))


def rollup(con, as_of, profile=None, comp: pd.DataFrame | None = None, scope=None) -> pd.DataFrame:
    """The comparison (R-SUB) summed by year, kind, bank, enterprise and in total, one row per group
    with ``grouping`` naming it (subsidies/rollup.sql); exact values through Arrow.

    ``comp`` is comparison()'s frame at ``as_of`` when the caller has it already.
    """
    comp = comparison(con, as_of, profile, scope) if comp is None else comp
    rows = {name: [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in comp[name]]
            for name in _COMPARISON_SCHEMA.names}
    rows["year"] = [None if v is None else int(v) for v in rows["year"]]
    rows["confirmed"] = [bool(v) for v in rows["confirmed"]]
    with registered(con, COMPARISON_ROWS, pa.table(rows, schema=_COMPARISON_SCHEMA)):
        return runner.frame(con, "subsidies/rollup")


def summary(con, as_of, profile=None, scope=None) -> dict:
    """The subsidies page (R-SUB): totals (eligible, paid, difference — Decimal, 0.00 when none —
    and unconfirmed), by (the rollup per year, kind, bank and enterprise, each with eligible, paid,
    difference, confirmed) and the comparison rows themselves; over the loans in ``scope`` (R-SCOPE)."""
    comp = comparison(con, as_of, profile, scope)
    roll = rollup(con, as_of, profile, comp)
    zero = Decimal("0.00")
    total = roll[roll["grouping"] == "total"]
    totals = ({k: total[k].iloc[0] if total[k].iloc[0] is not None else zero
               for k in ("eligible", "paid", "difference")} if len(total) else
              {"eligible": zero, "paid": zero, "difference": zero})
    totals["unconfirmed"] = bool(len(total) and total["confirmed"].iloc[0] is False) or \
        bool(len(comp) and not comp["confirmed"].all())
    cols = ["eligible", "paid", "difference", "confirmed"]
    by = {
        # grouping sets leave year null on the other rows, so it comes back as float: show it as 2024
        "year": roll.loc[roll["grouping"] == "year", ["year", *cols]].reset_index(drop=True)
        .assign(year=lambda f: [str(int(y)) for y in f["year"]]),
        "kind": roll.loc[roll["grouping"] == "kind", ["kind", *cols]].reset_index(drop=True),
        "bank": roll.loc[roll["grouping"] == "bank", ["bank", *cols]].reset_index(drop=True),
        "enterprise": roll.loc[roll["grouping"] == "enterprise",
                               ["credit_code", "enterprise_name", *cols]].reset_index(drop=True),
    }
    return {"totals": totals, "by": by, "comparison": comp}
