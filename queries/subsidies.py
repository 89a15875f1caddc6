"""Interest, fee and patent-pledge subsidies (R-SUB): what enterprises may claim, what was paid.

The per-year policy is data: the profile's ``[[subsidy_policy]]`` array (data/profiles/anyi.toml),
one table per year with the columns of RULES.md R-SUB plus ``interest_cap_total_per_enterprise``
(the Jiangxi 2015 measures cap interest subsidy per enterprise *in total*, not per year).
A year without its own row uses the latest earlier row, and every figure resting on such a row,
or on a row the bureau has not confirmed, says ``confirmed = False``.

The rules are in queries/sql/subsidy_eligible.sql, subsidy_paid.sql and subsidy_comparison.sql;
this module registers the policy (``subsidy_policy``) and the R-SCHED dues (``subsidy_dues``, from
the engine's own dues.sql, so "never DPD >= 1" uses exactly the engine's schedule).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa

from pipelines import profile as profile_mod
from queries import loader
from queries.obligations import params, registered, run

KINDS = ("interest", "appraisal_fee", "guarantee_fee", "patent_pledge")
KIND_LABELS = {
    "interest": ("贴息", "Interest subsidy"),
    "appraisal_fee": ("评估费补贴", "Appraisal fee subsidy"),
    "guarantee_fee": ("担保费补贴", "Guarantee fee subsidy"),
    "patent_pledge": ("专利质押补助", "Patent pledge grant"),
}
UNCONFIRMED = ("未确认：该年度补贴比例为默认值，待主管部门录入当年公布的标准",
               "Unconfirmed: this year's shares are defaults until the bureau enters the published figures")

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

POLICY, DUES, ELIGIBLE_ROWS, PAID_ROWS = "subsidy_policy", "subsidy_dues", "subsidy_eligible_rows", "subsidy_paid_rows"
COMPARISON_ROWS = "subsidy_comparison_rows"  # the fixed view name subsidy_rollup.sql reads
_COMPARISON_SCHEMA = pa.schema([("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
                                ("enterprise_name", pa.string()), ("kind", pa.string()),
                                ("eligible", pa.decimal128(38, 2)),
                                ("paid", pa.decimal128(38, 2)), ("difference", pa.decimal128(38, 2)),
                                ("confirmed", pa.bool_())])


def policy_rows(profile=None) -> list[dict]:
    """The profile's subsidy policy rows, validated, with defaults filled and amounts as Decimal."""
    prof = profile or profile_mod.load()
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


def _macros(con) -> None:
    # pw_paid_off (macros.sql) on this connection: temp, idempotent, fine when read-only
    con.execute(loader.sql_text("macros"))


def _dues(con, prof) -> pa.Table:
    # The engine's R-SCHED query (queries/sql/dues.sql) run as it is: one schedule for everyone.
    sql = loader.sql_text("dues")
    return con.sql(sql, params=loader.params_for(sql, params(None, prof))).to_arrow_table()


def eligible(con, as_of, profile=None) -> pd.DataFrame:
    """Eligible subsidy per loan and kind at the end of ``as_of`` (R-SUB), after the caps.

    Columns: year, credit_code, enterprise_name, bank, loan_id, kind, amount, uncapped_amount,
    capped, base, share, paid_off_on, policy_year, confirmed, source. Amounts are Decimal.
    """
    prof = profile or profile_mod.load()
    _macros(con)
    with registered(con, POLICY, policy_table(prof)), registered(con, DUES, _dues(con, prof)):
        return run(con, "subsidy_eligible", params(as_of, prof))


def by_enterprise(con, as_of, profile=None) -> pd.DataFrame:
    """Eligible subsidy per (year, credit_code, kind) — the report JSON's ``subsidies`` list —
    with enterprise_name and confirmed (False when any part rests on an unconfirmed year)."""
    rows = eligible(con, as_of, profile)
    cols = ["year", "credit_code", "kind", "enterprise_name", "amount", "confirmed"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = rows.groupby(["year", "credit_code", "kind"], sort=True).agg(
        enterprise_name=("enterprise_name", "first"),
        amount=("amount", lambda s: sum(s, Decimal("0.00"))),
        confirmed=("confirmed", "all"),
    ).reset_index()
    order = {k: i for i, k in enumerate(KINDS)}
    grouped = grouped.assign(_k=grouped["kind"].map(order)).sort_values(["year", "credit_code", "_k"])
    return grouped.drop(columns="_k")[cols].reset_index(drop=True)


def paid(con, as_of, profile=None) -> pd.DataFrame:
    """Subsidy payments of the ledger dated <= as_of with the year they belong to (year, year_basis,
    credit_code, enterprise_name, bank, loan_id, kind, amount, paid_on)."""
    _macros(con)
    return run(con, "subsidy_paid", params(as_of, profile))


def comparison(con, as_of, profile=None) -> pd.DataFrame:
    """Eligible beside paid per (year, bank, credit_code, kind): eligible, paid, difference = paid −
    eligible, confirmed. Rows exist where either side has an amount."""
    prof = profile or profile_mod.load()
    elig = eligible(con, as_of, prof)
    pays = paid(con, as_of, prof)
    elig_t = pa.Table.from_pandas(elig[["year", "bank", "credit_code", "enterprise_name", "kind", "amount",
                                        "confirmed"]], preserve_index=False, schema=pa.schema([
        ("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
        ("enterprise_name", pa.string()), ("kind", pa.string()), ("amount", _MONEY), ("confirmed", pa.bool_())]))
    pays_t = pa.Table.from_pandas(pays[["year", "bank", "credit_code", "enterprise_name", "kind", "amount"]],
                                  preserve_index=False, schema=pa.schema([
        ("year", pa.int64()), ("bank", pa.string()), ("credit_code", pa.string()),
        ("enterprise_name", pa.string()), ("kind", pa.string()), ("amount", _MONEY)]))
    with registered(con, POLICY, policy_table(prof)), registered(con, ELIGIBLE_ROWS, elig_t), \
            registered(con, PAID_ROWS, pays_t):
        return run(con, "subsidy_comparison", params(as_of, prof))


def rollup(con, as_of, profile=None, comp: pd.DataFrame | None = None) -> pd.DataFrame:
    """The comparison (R-SUB) summed by year, kind, bank, enterprise and in total, one row per group
    with ``grouping`` naming it (queries/sql/subsidy_rollup.sql); exact values through Arrow.

    ``comp`` is comparison()'s frame at ``as_of`` when the caller has it already.
    """
    comp = comparison(con, as_of, profile) if comp is None else comp
    rows = {name: [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in comp[name]]
            for name in _COMPARISON_SCHEMA.names}
    rows["year"] = [None if v is None else int(v) for v in rows["year"]]
    rows["confirmed"] = [bool(v) for v in rows["confirmed"]]
    with registered(con, COMPARISON_ROWS, pa.table(rows, schema=_COMPARISON_SCHEMA)):
        return loader.fetch_frame(con, "subsidy_rollup")
