"""The risk engine: outstanding, DPD, the NPL ratio, the halt trigger, alerts (RULES.md R-*).

Every number comes from the SQL files in ``queries/sql`` (one query per concern). The engine
registers shared intermediate results (Arrow tables) on the caller's connection, in this order:

    pw_dues        dues.sql         R-SCHED  supplied or generated schedule
    pw_flows       flows.sql        R-OUT    payments per stream and day, running totals
    pw_due_status  due_status.sql   R-DPD    when each due became paid (tolerance applied)
    pw_state       loan_state.sql   R-DPD    state at probes (loan_id, at)
    pw_snapshot    snapshot.sql     R-NPL    every loan at as_of (aggregates, no probes)
    pw_series      npl_series.sql   R-NPL    program-wide daily totals from the start of history
    pw_halt        halt.sql         R-HALT   halt status for every day of pw_series

pw_dues, pw_flows, pw_due_status, pw_series and pw_halt do not depend on the date asked about:
ingest writes all but the dues to the store after every load (queries/stored.py), and while those
tables match the ledgers and the parameters the engine registers them instead of computing
anything (pw_dues then stays dues.sql unevaluated: its one reader wants one loan's schedule).
Registered views live only on the connection that made them, so they are safe on short-lived
read-only connections. Otherwise (another profile, a store written outside ingest) a small
process-wide cache keyed by a digest of the ledgers (fingerprint.sql) and the parameters keeps
the computed ones between calls and connections, so summary + loan_snapshot + alerts at one
date, or the dashboard's next page, do the heavy work once.
Table names come from the fixed whitelist ``_STAGES`` (never from input); values are bound.

Money and ratios are exact: dict results hold ``decimal.Decimal``; DataFrames are built through
Arrow, so DECIMAL columns hold ``Decimal`` objects — in loan_snapshot, whose frame has a row per
loan, as Arrow decimal128 columns (``pd.ArrowDtype``) whose elements and sums are ``Decimal`` too
(use ``.astype(float)`` for charts only).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd
import pyarrow as pa

from queries import stored
from queries.loader import params_for, sql_text

BY_DIMENSIONS = ("bank", "guarantor", "appraiser")
SCOPE_KEYS = ("bank", "guarantor", "appraiser")
SERIES_COLUMNS = ("day", "active_balance", "overdue_balance", "active_loans", "overdue_loans", "npl_ratio", "breach",
                  "warning_band", "status", "halted", "halted_since")

_CACHE: OrderedDict = OrderedDict()  # (table, key) -> pyarrow.Table, least recently used first
_CACHE_SIZE = 24
_CACHE_LOCK = threading.Lock()
_READ_ONLY_DIGESTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> ledger digest

# registered table -> the SQL file that fills it (the whitelist of names formatted into DDL)
_STAGES = {
    "pw_dues": "dues",
    "pw_flows": "flows",
    "pw_due_status": "due_status",
    "pw_state": "loan_state",
    "pw_snapshot": "snapshot",
    "pw_series": "npl_series",
    "pw_scoped_series": "npl_series",
    "pw_halt": "halt",
}


# ---------------------------------------------------------------- parameters and plumbing

def params(profile, as_of=None, scope=None) -> dict:
    """Every SQL parameter: profile values, as_of, and scope filters (None = no filter).

    ``scope`` is an optional dict like {"bank": "…", "guarantor": None, "appraiser": None}.
    """
    p = dict(profile.bind())
    if int(p["overdue_dpd_threshold"]) < 1:
        raise ValueError("overdue_dpd_threshold must be >= 1 / 逾期天数阈值须不小于 1")
    p["as_of"] = as_date(as_of) if as_of is not None else None
    scope = scope or {}
    unknown = set(scope) - set(SCOPE_KEYS)
    if unknown:
        raise ValueError(f"unknown scope keys {sorted(unknown)} / 未知的范围字段 {sorted(unknown)}")
    for key in SCOPE_KEYS:
        value = scope.get(key)
        p[f"scope_{key}"] = value if value not in ("",) else None
    return p


def as_date(value) -> dt.date:
    """A date from a date, datetime, pandas Timestamp or ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return dt.date.fromisoformat(str(value))


def _run(con, name: str, p: dict):
    sql = sql_text(name)
    return con.execute(sql, params_for(sql, p))


def _rows(con, name: str, p: dict) -> list[dict]:
    res = _run(con, name, p)
    cols = [d[0] for d in res.description]
    return [dict(zip(cols, row, strict=True)) for row in res.fetchall()]


def _one(con, name: str, p: dict) -> dict:
    rows = _rows(con, name, p)
    return rows[0] if rows else {}


def _frame(con, sql: str, bound: dict | None = None) -> pd.DataFrame:
    """Exact DataFrame: Arrow keeps DECIMAL as Decimal objects and DATE as datetime.date."""
    return con.sql(sql, params=bound or None).to_arrow_table().to_pandas()


def _df(con, name: str, p: dict) -> pd.DataFrame:
    sql = sql_text(name)
    return _frame(con, sql, params_for(sql, p))


def _stage(con, table: str, p: dict, key: str | None = None):
    """Compute ``table`` from its SQL file and register it on ``con`` under that name.

    Results are Arrow tables registered as views (never temp tables, so a name can always be
    replaced); with a ``key`` they are kept in a small process-wide cache, so a new short-lived
    connection (the dashboard opens one per page) reuses them while the ledgers are unchanged.
    Table names come from the whitelist _STAGES only."""
    name = _STAGES[table]
    cached = _CACHE.get((table, key)) if key is not None else None
    if cached is None:
        sql = sql_text(name)
        cached = con.sql(sql, params=params_for(sql, p) or None).to_arrow_table()
        if key is not None:
            _remember((table, key), cached)
    else:
        _CACHE.move_to_end((table, key))
    con.register(table, cached)
    return cached


def _remember(cache_key, table) -> None:
    with _CACHE_LOCK:
        _CACHE[cache_key] = table
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def clear_cache() -> None:
    """Forget every cached intermediate result (tests; after a load in the same process)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _fingerprint(con, p: dict) -> str:
    """The ledger digest, remembered for a read-only connection (stored.remembered_while_read_only)."""
    return stored.remembered_while_read_only(_READ_ONLY_DIGESTS, con,
                                             lambda c: _one(c, "fingerprint", p)["fingerprint"])


def prepare(con, p: dict) -> str:
    """Register dues, flows and due status for the current ledgers; returns their cache key.

    The stored tables when they describe these ledgers and parameters (stored.current; the key is
    then their ledger stamp), else computed here and cached under a digest of every ledger row the
    engine reads (fingerprint.sql) plus the parameters these steps use, so a changed or reloaded
    ledger is never served from the cache."""
    con.execute(sql_text("macros"))  # pw_ratio on this connection (cheap, idempotent)
    meta = stored.current(con, p)
    if meta is not None:  # written at the last load for these ledgers and parameters (stored.py)
        stored.register(con, stored.PREPARED)
        stored.register_dues(con, p)
        return f"stored:{meta['stamp']}|{p['interest_day']}|{p['amount_tolerance']}"
    fingerprint = _fingerprint(con, p)
    key = f"{fingerprint}|{p['interest_day']}|{p['amount_tolerance']}"
    for table in ("pw_dues", "pw_flows", "pw_due_status"):
        _stage(con, table, p, key)
    return key


def latest_ledger_date(con) -> dt.date | None:
    """The latest date in any dated ledger (None in an empty store): default end of the series."""
    return _one(con, "latest_ledger_date", {})["latest_ledger_date"]


def history_start(con) -> dt.date | None:
    """The first disbursement or decision date (None in an empty store)."""
    return _one(con, "history_start", {})["history_start"]


# ---------------------------------------------------------------- point-in-time state

def loan_state_at(con, probes, profile) -> pd.DataFrame:
    """Loan state at the end of each probe day (R-OUT, R-DPD), set-based.

    ``probes``: DataFrame or Arrow table with columns loan_id, at. Returns one row per distinct
    known (loan_id, at): loan_id, at, principal, disbursed_on, outstanding, active, dpd_principal,
    dpd_interest, dpd, oldest_unpaid_principal, oldest_unpaid_interest, oldest_unpaid_due.
    """
    p = params(profile)
    prepare(con, p)
    con.register("pw_probes_input", probes)
    try:
        typed = con.sql('select loan_id::varchar as loan_id, "at"::date as "at" from pw_probes_input')
        con.register("pw_probes", typed.to_arrow_table())
    finally:
        con.unregister("pw_probes_input")
    _stage(con, "pw_state", p)
    return _frame(con, 'select * from pw_state order by loan_id, "at"')


def _stage_snapshot(con, p: dict, key: str | None = None):
    """Register pw_snapshot for p's as_of and scope (``key``: from prepare earlier in this call);
    returns it as an Arrow table ordered by loan_id."""
    key = key or prepare(con, p)
    snap_key = f"{key}|{p['as_of']}|{p['scope_bank']}|{p['scope_guarantor']}|{p['scope_appraiser']}|" \
               f"{p['overdue_dpd_threshold']}"
    return _stage(con, "pw_snapshot", p, snap_key)


def loan_snapshot(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Every loan disbursed by ``as_of`` (in scope) with its state at the end of that day.

    Columns: loan_id, enterprise_name, credit_code, bank, guarantor, appraiser, pledge_mode,
    principal, disbursed_on, matures_on, outstanding, dpd, dpd_principal, dpd_interest,
    oldest_unpaid_due, active, overdue, bucket, risk_class (R-OUT, R-DPD, R-NPL, R-CLASS).
    """
    p = params(profile, as_of, scope)
    # snapshot.sql orders by loan_id. Money stays Arrow decimal128 (pd.ArrowDtype): exact, an element
    # is a Decimal, sums are Decimal, and 500,000 loans need no million Python Decimal objects.
    return _stage_snapshot(con, p).to_pandas(types_mapper=_decimal_as_arrow)


def _decimal_as_arrow(arrow_type):
    return pd.ArrowDtype(arrow_type) if pa.types.is_decimal(arrow_type) else None


def snapshot_rows(con, as_of, profile, scope=None, columns=None, active_only: bool = False) -> list[dict]:
    """The snapshot as row dicts with exact values (Decimal, date), ordered by loan_id: for reports.

    ``columns`` keeps only those keys and ``active_only`` only the active loans; both are applied
    in Arrow before any Python object is made (the report lists about a quarter of the loans)."""
    p = params(profile, as_of, scope)
    table = _stage_snapshot(con, p)
    if active_only:
        table = table.filter(table["active"])
    if columns is not None:
        table = table.select(list(columns))
    return table.to_pylist()


# ---------------------------------------------------------------- daily series and halt

def _stage_halt(con, p: dict, end: dt.date | None, start: dt.date | None = None, key: str | None = None) -> bool:
    """Register the program-wide daily series and halt status from the start of history to ``end``
    (at least to the latest ledger date). Returns False when there is no history (empty store)."""
    key = key or prepare(con, p)
    first = history_start(con)
    if first is None or end is None:
        return False
    if start is not None:
        first = min(first, start)
    # one series to the latest ledger date serves every earlier day (a day's halt status depends
    # only on the days before it), so summaries at different dates share the cached series
    end = max(end, latest_ledger_date(con) or end, first)
    if stored.series_matches(stored.current(con, p), p, first, end):
        stored.register(con, stored.SERIES)
        return True
    program = dict(p, scope_bank=None, scope_guarantor=None, scope_appraiser=None, start=first, end=end)
    halt_key = f"{key}|{first}|{end}|{p['overdue_dpd_threshold']}|{p['npl_halt_threshold']}|" \
               f"{p['npl_warning_threshold']}"
    _stage(con, "pw_series", program, halt_key)
    _stage(con, "pw_halt", program, halt_key)
    return True


def _series(con, profile, start, end, scope, month_end_only: bool) -> pd.DataFrame:
    p = params(profile, scope=scope)
    end = as_date(end) if end is not None else latest_ledger_date(con)
    first = history_start(con)
    start = as_date(start) if start is not None else first
    if not _stage_halt(con, p, end, start):
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    scoped = dict(p, start=start, end=end, month_end_only=month_end_only)
    if any(p[f"scope_{k}"] is not None for k in SCOPE_KEYS):
        _stage(con, "pw_scoped_series", scoped)
    else:
        con.register("pw_scoped_series", con.sql("select * from pw_series").to_arrow_table())
    return _df(con, "series_status", scoped)


def npl_series(con, profile, start=None, end=None, scope=None) -> pd.DataFrame:
    """Daily series at the end of each day from ``start`` (default: first disbursement or decision)
    to ``end`` (default: latest ledger date) — R-NPL, R-HALT.

    Columns: day, active_balance, overdue_balance, active_loans, overdue_loans, npl_ratio
    (Decimal or None), breach, warning_band, status, halted, halted_since. With a scope the
    balances and ratio are the scope's; halted/halted_since stay program-wide.
    """
    return _series(con, profile, start, end, scope, month_end_only=False)


def month_end_series(con, profile, start=None, end=None, scope=None) -> pd.DataFrame:
    """The same series as npl_series, only the last day of each month."""
    return _series(con, profile, start, end, scope, month_end_only=True)


def halt_episodes(con, profile, end=None) -> pd.DataFrame:
    """Halt episodes (R-HALT): start_on, resume_on, end_on, resume_while_breached.

    end_on / resume_on are null while the episode is still in force at ``end`` (default latest
    ledger date). A resume dated r ends the halt on r (halted through r − 1); if r is itself a
    breach day a new episode starts on r and resume_while_breached is true.
    """
    p = params(profile)
    end = as_date(end) if end is not None else latest_ledger_date(con)
    if not _stage_halt(con, p, end):
        return _frame(con, "select null::date as start_on, null::date as resume_on, null::date as end_on, "
                           "null::boolean as resume_while_breached where false")
    return _df(con, "halt_episodes", p)


def resumes(con, profile, end=None) -> pd.DataFrame:
    """Every resume decision (R-HALT): decided_on, npl_ratio, resume_while_breached (flagged: the
    ratio was still above the halt threshold that day), ended_halt, still_halted."""
    p = params(profile)
    end = as_date(end) if end is not None else latest_ledger_date(con)
    if not _stage_halt(con, p, end):
        return pd.DataFrame(columns=["decided_on", "npl_ratio", "resume_while_breached", "ended_halt", "still_halted"])
    return _df(con, "resumes", p)


def status_on(con, dates: Iterable, profile) -> pd.DataFrame:
    """Program status at the END of each given day (R-HALT; C10 asks for the day before a
    disbursement): day, status, npl_ratio, halted, halted_since."""
    days = sorted({as_date(d) for d in dates})
    frame = pd.DataFrame({"day": pd.Series(days, dtype="object")})
    p = params(profile)
    if days:
        latest = latest_ledger_date(con)
        end = max(days[-1], latest) if latest else days[-1]
        # days before the history starts are normal with a null ratio (status_on.sql), so the
        # series need not reach back to them: the stored one (from the history start) serves
        staged = _stage_halt(con, p, end)
    else:
        staged = False
    con.register("pw_dates_input", frame)
    try:
        con.register("pw_dates", con.sql("select day::date as day from pw_dates_input").to_arrow_table())
    finally:
        con.unregister("pw_dates_input")
    if not staged:
        return _frame(con, "select day, 'normal' as status, null::decimal(38, 18) as npl_ratio, "
                           "false as halted, null::date as halted_since from pw_dates order by day")
    return _df(con, "status_on", p)


# ---------------------------------------------------------------- summaries at a date

def summary(con, as_of, profile, scope=None) -> dict:
    """Headline figures at the end of ``as_of`` with exact Decimal values (R-NPL, R-HALT, R-CLASS).

    Keys: as_of, scope, active_balance, overdue_balance, npl_ratio (Decimal or None),
    active_loans, overdue_loans, breach, status, halted, halted_since, headroom,
    npl_warning_threshold, npl_halt_threshold, bank_npl_balance, bank_npl_ratio,
    prev_month_end, npl_ratio_prev_month_end. halted / halted_since are program-wide.
    """
    p = params(profile, as_of, scope)
    as_of = p["as_of"]
    key = prepare(con, p)
    _stage_snapshot(con, p, key)
    row = _one(con, "summary", p)
    prev_end = as_of.replace(day=1) - dt.timedelta(days=1)
    scoped = any(p[f"scope_{k}"] is not None for k in SCOPE_KEYS)

    halted, halted_since, prev_ratio = False, None, None
    if _stage_halt(con, p, as_of, key=key):
        rows = con.execute("select halted, halted_since from pw_halt where day = ?", [as_of]).fetchall()
        if rows:
            halted, halted_since = bool(rows[0][0]), rows[0][1]
        if not scoped:  # the program-wide daily series already holds the month-end ratio
            rows = con.execute("select npl_ratio from pw_halt where day = ?", [prev_end]).fetchall()
            prev_ratio = rows[0][0] if rows else None
    if scoped:
        prev_p = dict(p, as_of=prev_end)
        _stage_snapshot(con, prev_p, key)
        prev_ratio = _one(con, "summary", prev_p)["npl_ratio"]
        _stage_snapshot(con, p, key)  # leave the as_of snapshot registered for the caller
    # pw_status (macros.sql) decides the words, as for every day of the series
    status = con.execute("select pw_status(?, ?)", [halted, bool(row["warning_band"])]).fetchall()[0][0]
    return {
        "as_of": as_of,
        "scope": {k: p[f"scope_{k}"] for k in SCOPE_KEYS},
        "active_balance": row["active_balance"],
        "overdue_balance": row["overdue_balance"],
        "npl_ratio": row["npl_ratio"],
        "active_loans": int(row["active_loans"]),
        "overdue_loans": int(row["overdue_loans"]),
        "breach": bool(row["breach"]),
        "status": status,
        "halted": halted,
        "halted_since": halted_since,
        "headroom": row["headroom"],
        "npl_warning_threshold": Decimal(p["npl_warning_threshold"]),
        "npl_halt_threshold": Decimal(p["npl_halt_threshold"]),
        "bank_npl_balance": row["bank_npl_balance"],
        "bank_npl_ratio": row["bank_npl_ratio"],
        "prev_month_end": prev_end,
        "npl_ratio_prev_month_end": prev_ratio,
    }


def breakdown(con, as_of, profile, by: str) -> pd.DataFrame:
    """R-NPL diagnostic per bank, guarantor or appraiser: name, active_loans, overdue_loans,
    active_balance, overdue_balance, npl_ratio, loans_60d."""
    if by not in BY_DIMENSIONS:
        raise ValueError(f"by must be one of {BY_DIMENSIONS} / 分组字段须为 {BY_DIMENSIONS}")
    p = params(profile, as_of)
    _stage_snapshot(con, p)
    return _df(con, "breakdown", dict(p, by=by))


def ageing(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Ageing buckets current / 1-29 / 30-59 / 60-89 / 90+ (R-DPD): bucket, min_dpd, max_dpd,
    loans, balance, balance_share."""
    p = params(profile, as_of, scope)
    _stage_snapshot(con, p)
    return _df(con, "ageing", p)


def classification(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Five-category classes (R-CLASS): risk_class, non_performing, loans, balance, balance_share."""
    p = params(profile, as_of, scope)
    _stage_snapshot(con, p)
    return _df(con, "classification", p)


def alerts(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Active loans with DPD >= compensation_trigger_dpd (R-ALERT60): loan_id, enterprise_name,
    credit_code, bank, guarantor, appraiser, pledge_mode, outstanding, dpd, oldest_unpaid_due,
    alert_since, action."""
    p = params(profile, as_of, scope)
    _stage_snapshot(con, p)
    return _df(con, "alerts", p)


# ---------------------------------------------------------------- one loan

def dues(con, loan_id: str, profile=None) -> pd.DataFrame:
    """One loan's dues (R-SCHED) beside when each stream was paid: due_on, principal_due,
    interest_due, source, cum dues, *_settled_on, days_late_*."""
    p = params(profile) if profile is not None else {"interest_day": 0, "amount_tolerance": Decimal("0.01")}
    prepare(con, p)
    return _df(con, "loan_dues", dict(p, loan_id=loan_id))


def payments(con, loan_id: str) -> pd.DataFrame:
    """One loan's repayments and principal events with outstanding after each (R-OUT)."""
    return _df(con, "loan_payments", {"loan_id": loan_id})


def loan_history(con, loan_id: str, profile, end=None) -> pd.DataFrame:
    """One loan's state at the end of every day from disbursement to ``end`` (default: latest
    ledger date, at least the maturity date's day if it is earlier): at, outstanding, active, dpd…"""
    rows = con.execute("select disbursed_on from loans where loan_id = ?", [loan_id]).fetchall()
    if not rows:
        return pd.DataFrame(columns=["loan_id", "at", "outstanding", "active", "dpd"])
    start = rows[0][0]
    end = as_date(end) if end is not None else (latest_ledger_date(con) or start)
    end = max(end, start)
    days = pd.date_range(start, end, freq="D").date
    probes = pd.DataFrame({"loan_id": [loan_id] * len(days), "at": days})
    return loan_state_at(con, probes, profile)
