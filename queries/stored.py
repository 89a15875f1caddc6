"""The engine's history-wide intermediates, kept in the store so that no reader recomputes them.

Payment flows (R-OUT), the day each due became paid (R-DPD) and the program-wide daily series
with its halt status (R-NPL, R-HALT) do not depend on the date asked about, yet they are most of
the work behind any as-of figure (docs/PERFORMANCE.md). ``build`` writes them as tables right
after a load, from the very SQL files the engine runs (flows.sql, due_status.sql, npl_series.sql,
halt.sql; dues.sql feeds due_status.sql but is not kept, see DUES), together with one
``derived_meta`` row recording the ledger stamp (ledger_stamp.sql) and the profile parameters
they were computed with.

``current`` tells the engine whether those tables still describe the ledgers and its parameters;
when they do not (another profile, rows written outside ingest, a database from before this
existed), the engine computes the same relations in memory as before, so results never depend on
which path served them (tests/test_stored.py compares the two).
"""

from __future__ import annotations

import datetime as dt
import json
import weakref

from queries.loader import params_for, sql_text

# engine relation -> (stored table, SQL file), in build order (later files read earlier relations)
PREPARED = {
    "pw_flows": ("derived_flows", "flows"),
    "pw_due_status": ("derived_due_status", "due_status"),
}
# Dues (dues.sql) feed due_status.sql during the build but are not stored: the only other reader
# is one loan's schedule (loan_dues.sql), which dues.sql gives in ~15 ms at 500k loans, while
# writing its 6 M rows cost 0.7 s per load. The engine registers them lazily (engine.prepare).
DUES = ("pw_dues", "dues")
SERIES = {
    "pw_series": ("derived_series", "npl_series"),
    "pw_halt": ("derived_halt", "halt"),
}
# the ledgers the stored tables are computed from (subsidies: their dates end the daily series);
# a load that writes rows only to other ledgers (collateral, lpr) leaves them as they are
INPUT_LEDGERS = ("loans", "schedule", "repayments", "events", "decisions", "subsidies")
PREPARED_PARAMS = ("interest_day", "amount_tolerance")
SERIES_PARAMS = ("overdue_dpd_threshold", "npl_halt_threshold", "npl_warning_threshold")

_READ_ONLY_META: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> meta or False


def stamp(con) -> str:
    """The ledgers' current stamp (ledger_stamp.sql)."""
    return con.execute(sql_text("ledger_stamp")).fetchall()[0][0]


def _one(con, name: str, p: dict | None = None):
    sql = sql_text(name)
    return con.execute(sql, params_for(sql, p or {})).fetchall()[0][0]


def build(con, p: dict) -> None:
    """Write the stored intermediates for the current ledgers and parameters ``p`` (engine.params).

    Call on a write connection, inside the caller's transaction when the load and the rebuild must
    be seen together. Table names come from PREPARED / SERIES only; values are bound."""
    con.execute(sql_text("macros"))
    # row order in the per-due and per-payment tables carries no meaning (every reader orders or
    # aggregates): let DuckDB write them in parallel
    con.execute("set preserve_insertion_order = false")
    registered = []
    try:
        dues_name, dues_sql = DUES
        _write(con, dues_name, "derived_dues_build", dues_sql, p, temporary=True)
        registered.append(dues_name)
        con.execute("drop table if exists main.derived_dues")  # stored by earlier versions
        # each stored table holds exactly what its SQL file gives in memory (every row, every
        # column), so any reader of pw_* may rely on the same relation whichever path serves it
        for name, (table, sql_name) in PREPARED.items():
            _write(con, name, table, sql_name, p)
            registered.append(name)
        con.execute("reset preserve_insertion_order")  # the daily series stays in day order
        first = _one(con, "history_start")
        end = _one(con, "latest_ledger_date")
        if first is not None and end is not None:
            end = max(end, first)
            program = dict(p, scope_bank=None, scope_guarantor=None, scope_appraiser=None, start=first, end=end)
            for name, (table, sql_name) in SERIES.items():
                _write(con, name, table, sql_name, program)
                registered.append(name)
        else:
            for table, _ in SERIES.values():
                con.execute(f"drop table if exists {table}")
        values = {k: str(p[k]) for k in PREPARED_PARAMS + SERIES_PARAMS}
        con.execute(
            "create or replace table derived_meta as select $stamp::varchar as stamp, "
            "$series_start::date as series_start, $series_end::date as series_end, "
            "$params::varchar as params, current_timestamp::timestamp as built_at",
            {"stamp": stamp(con), "series_start": first, "series_end": end,
             "params": json.dumps(values, sort_keys=True)})
    finally:
        con.execute("reset preserve_insertion_order")
        for name in registered:
            con.unregister(name)
        con.execute("drop table if exists temp.derived_dues_build")


def _write(con, name: str, table: str, sql_name: str, p: dict, temporary: bool = False) -> None:
    """Store ``sql_name``.sql's result as ``table`` and register it as ``name`` for the next files."""
    sql = sql_text(sql_name)
    con.execute(f"create or replace {'temp ' if temporary else ''}table {table} as {sql}", params_for(sql, p))
    con.register(name, con.table(table))


def restamp(con, previous_stamp: str) -> bool:
    """After a load that wrote no row of INPUT_LEDGERS: carry the stored tables over to the new
    stamp, but only if they matched the ledgers as they were before that load (``previous_stamp``);
    returns whether they did. Otherwise they stay stale and the next full build replaces them."""
    rows = con.execute("select stamp from main.derived_meta").fetchall() if _has_meta(con) else []
    if not rows or rows[0][0] != previous_stamp:
        return False
    con.execute("update main.derived_meta set stamp = $stamp", {"stamp": stamp(con)})
    return True


def _has_meta(con) -> bool:
    return con.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                       "and schema_name = 'main' and table_name = 'derived_meta'").fetchall()[0][0] > 0


def remembered_while_read_only(memo: weakref.WeakKeyDictionary, con, compute):
    """``compute(con)``, kept in ``memo`` for a read-only connection: nothing can write the store
    while it is open (DuckDB's file lock keeps writers out), so a dashboard page pays once."""
    try:
        known = memo.get(con)
    except TypeError:  # a connection object that cannot be weakly referenced
        known = None
    if known is not None:
        return known
    value = compute(con)
    rows = con.execute("select readonly from duckdb_databases() where database_name = current_database()").fetchall()
    if rows and rows[0][0]:
        try:
            memo[con] = value
        except TypeError:
            pass
    return value


def current(con, p: dict) -> dict | None:
    """The derived_meta row (stamp, series_start, series_end, params) when the stored tables match
    the ledgers and ``p``'s dues parameters; None otherwise. Remembered per read-only connection."""
    known = remembered_while_read_only(_READ_ONLY_META, con, lambda c: _read_meta(c) or False)
    if not known or any(known["params"].get(k) != str(p[k]) for k in PREPARED_PARAMS):
        return None
    return known


def _read_meta(con) -> dict | None:
    if not _has_meta(con):
        return None
    rows = con.execute("select stamp, series_start, series_end, params from main.derived_meta").fetchall()
    if not rows or rows[0][0] != stamp(con):
        return None
    stored_stamp, start, end, values = rows[0]
    return {"stamp": stored_stamp, "series_start": start, "series_end": end, "params": json.loads(values)}


def series_matches(meta: dict | None, p: dict, start: dt.date, end: dt.date) -> bool:
    """Whether the stored program-wide series is the one asked for: same days, same parameters."""
    return (meta is not None and meta["series_start"] == start and meta["series_end"] == end
            and all(meta["params"].get(k) == str(p[k]) for k in SERIES_PARAMS))


def register(con, relations: dict) -> None:
    """Register each stored table of ``relations`` (PREPARED or SERIES) under its engine name."""
    for name, (table, _) in relations.items():
        con.register(name, con.table(table))


def register_dues(con, p: dict) -> None:
    """Register pw_dues as dues.sql itself, unevaluated: a reader that filters one loan computes
    only that loan's dues (see DUES)."""
    name, sql_name = DUES
    sql = sql_text(sql_name)
    con.register(name, con.sql(sql, params=params_for(sql, p) or None))
