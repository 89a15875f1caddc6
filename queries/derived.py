"""The engine's shared intermediate relations: where they come from, and the one cache policy.

Every rule family reads a few relations that do not depend on the date asked about and are most
of the work behind any figure (docs/PERFORMANCE.md). They are registered on the caller's
connection under fixed names (the whitelist ``STAGES``; names are never input):

    pw_dues        schedule/dues.sql       R-SCHED  supplied or generated schedule
    pw_flows       dpd/flows.sql           R-OUT    payments per stream and day, running totals
    pw_due_status  dpd/due_status.sql      R-DPD    when each due became paid (tolerance applied)
    pw_first_late  dpd/first_late.sql      R-DPD    each loan's first day with DPD >= 1 (R-PROJ stress)
    pw_loan_changes ratio/loan_changes.sql R-NPL    each loan's changes to the daily totals
    pw_series      ratio/npl_series.sql    R-NPL    program-wide daily totals from the history start
    pw_halt        halt/halt.sql           R-HALT   halt status for every day of pw_series

and, per call, pw_state (dpd/loan_state.sql, state at probes), pw_snapshot (dpd/snapshot.sql, every
loan at as_of) and pw_scoped_series (a scope's daily series).

Where they come from, in this order:
1. **The store.** After a load that wrote their inputs, the ingest's after-load hook (``Refresh``)
   writes flows, due status, first late day, loan changes, series, halt and the latest date's
   snapshot as ``derived_*`` tables with one ``derived_meta`` row (the ledger stamp,
   core/ledger_stamp.sql, and the profile parameters used) — for a load of per-loan ledgers only
   the loans it touched (``refresh_loans``), else all of them (``build``). While both match,
   readers register those tables and compute nothing (dues stay schedule/dues.sql unevaluated: their
   one other reader is one loan's schedule).
2. **The process cache.** Otherwise (another profile, rows written outside ingest) a computed
   relation is kept as an Arrow table in one LRU cache keyed by a digest of every ledger row the
   engine reads (core/fingerprint.sql) plus the parameters it uses, so the next call or connection
   (the dashboard opens one per page) reuses it while the ledgers are unchanged.
3. **Per read-only connection**, what was looked up once (the ledger digest, the stored meta, the
   prepared key) is remembered: nothing can write the store while it is open (DuckDB's file lock).

Results never depend on the path that served them (tests/test_stored.py compares the two).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from collections import OrderedDict

from queries import runner

# engine relation -> the SQL file that fills it (the whitelist of names formatted into DDL)
STAGES = {
    "pw_dues": "schedule/dues",
    "pw_flows": "dpd/flows",
    "pw_due_status": "dpd/due_status",
    "pw_first_late": "dpd/first_late",
    "pw_state": "dpd/loan_state",
    "pw_snapshot": "dpd/snapshot",
    "pw_loan_changes": "ratio/loan_changes",
    "pw_series": "ratio/npl_series",
    "pw_scoped_series": "ratio/npl_series",
    "pw_halt": "halt/halt",
}
# engine relation -> (stored table, SQL file), in build order (later files read earlier relations)
PREPARED = {
    "pw_flows": ("derived_flows", STAGES["pw_flows"]),
    "pw_due_status": ("derived_due_status", STAGES["pw_due_status"]),
    "pw_first_late": ("derived_first_late", STAGES["pw_first_late"]),
}
# Dues feed due_status.sql during the build but are not stored: the only other reader is one loan's
# schedule (schedule/loan_dues.sql), which dues.sql gives in ~15 ms at 500k loans, while writing
# its 6 M rows cost 0.7 s per load. prepare registers them lazily.
DUES = ("pw_dues", STAGES["pw_dues"])
SERIES = {
    "pw_loan_changes": ("derived_loan_changes", STAGES["pw_loan_changes"]),
    "pw_series": ("derived_series", STAGES["pw_series"]),
    "pw_halt": ("derived_halt", STAGES["pw_halt"]),
}
# the program-wide snapshot at the series' last day (the latest ledger date), which every reader of
# the default date stages first (issue 16/17: 0.4-0.7 s at 500k computed, 0.1 s read)
SNAPSHOT = ("derived_snapshot", STAGES["pw_snapshot"])
# the ledgers the stored tables are computed from (subsidies: their dates end the daily series);
# a load that writes rows only to other ledgers (collateral, lpr) leaves them as they are
INPUT_LEDGERS = ("loans", "schedule", "repayments", "events", "decisions", "subsidies")
PREPARED_PARAMS = ("interest_day", "amount_tolerance")
# the set of stored tables a build writes; a store built by a version with another set (no
# derived_first_late, derived_snapshot or derived_loan_changes) is not used, and the next load rebuilds it
STORE_VERSION = "4"
SERIES_PARAMS = ("overdue_dpd_threshold", "npl_halt_threshold", "npl_warning_threshold")

_CACHE: OrderedDict = OrderedDict()  # (relation, key) -> pyarrow.Table, least recently used first
_CACHE_SIZE = 24
_CACHE_LOCK = threading.Lock()
_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # read-only connection -> {what: value}


# ---------------------------------------------------------------- the cache policy

def clear_cache() -> None:
    """Forget every cached relation (tests; after a load in the same process)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _remember(cache_key, table) -> None:
    with _CACHE_LOCK:
        _CACHE[cache_key] = table
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def stage(con, relation: str, p: dict, key: str | None = None):
    """Compute ``relation`` from its SQL file (STAGES) and register it on ``con`` under that name.

    Results are Arrow tables registered as views (never temp tables, so a name can always be
    replaced); with a ``key`` they are kept in the process cache. Returns the Arrow table."""
    cached = _CACHE.get((relation, key)) if key is not None else None
    if cached is None:
        cached = runner.arrow(con, STAGES[relation], p)
        if key is not None:
            _remember((relation, key), cached)
    else:
        _CACHE.move_to_end((relation, key))
    con.register(relation, cached)
    return cached


def memo(con, what: str, compute):
    """``compute(con)``, remembered under ``what`` for a read-only connection (a write connection may
    change the ledgers between two calls, so it computes every time)."""
    try:
        known = _MEMO.get(con, {})
    except TypeError:  # a connection object that cannot be weakly referenced
        known = {}
    if what in known:
        return known[what]
    value = compute(con)
    if runner.one(con, "core/read_only").get("readonly"):
        try:
            _MEMO.setdefault(con, {})[what] = value
        except TypeError:
            pass
    return value


# ---------------------------------------------------------------- staging for readers

def prepare(con, p: dict) -> str:
    """Register dues, flows and due status for the current ledgers; returns their cache key.

    The stored tables when they describe these ledgers and parameters (``current``; the key is then
    their ledger stamp), else computed here and cached under the ledger digest plus the parameters
    these steps use, so a changed or reloaded ledger is never served from the cache. Once per
    read-only connection and parameters: the relations stay registered on it."""
    params_key = f"{p['interest_day']}|{p['amount_tolerance']}"
    return memo(con, f"prepared|{params_key}", lambda c: _prepare(c, p, params_key))


def _prepare(con, p: dict, params_key: str) -> str:
    con.execute(runner.sql_text("core/macros"))  # pw_ratio … on this connection (cheap, idempotent)
    meta = current(con, p)
    if meta is not None:  # written at the last load for these ledgers and parameters
        register(con, PREPARED)
        _register_dues(con, p)
        return f"stored:{meta['stamp']}|{params_key}"
    digest = memo(con, "digest", lambda c: runner.one(c, "core/fingerprint", p)["fingerprint"])
    key = f"{digest}|{params_key}"
    for relation in ("pw_dues", "pw_flows", "pw_due_status", "pw_first_late"):
        stage(con, relation, p, key)
    return key


def stage_snapshot(con, p: dict, key: str | None = None):
    """Register pw_snapshot for p's as_of and scope; returns it as an Arrow table ordered by loan_id.

    At the stored series' last day (the latest ledger date: the dashboard's and the report's default)
    the stored derived_snapshot serves it, filtered to the scope in Arrow (the same rows, in the same
    order, as dpd/snapshot.sql's scope filter on the loans); any other date computes it."""
    key = key or prepare(con, p)
    snap_key = f"{key}|{p['as_of']}|{p['scope_bank']}|{p['scope_guarantor']}|{p['scope_appraiser']}|" \
               f"{p['overdue_dpd_threshold']}"
    cached = _CACHE.get(("pw_snapshot", snap_key))
    if cached is None and _stored_snapshot_serves(con, p):
        table = _scoped(memo(con, "stored_snapshot", lambda c: c.table(SNAPSHOT[0]).to_arrow_table()), p)
        _remember(("pw_snapshot", snap_key), table)
    return stage(con, "pw_snapshot", p, snap_key)


def _stored_snapshot_serves(con, p: dict) -> bool:
    meta = current(con, p)
    return (meta is not None and p["as_of"] == meta["series_end"]
            and meta["params"].get("overdue_dpd_threshold") == str(p["overdue_dpd_threshold"]))


def _scoped(table, p: dict):
    """The rows of a program-wide snapshot within p's scope (R-SCOPE), order kept."""
    import pyarrow.compute as pc

    for column in runner.SCOPE_KEYS:
        value = p[f"scope_{column}"]
        if value is not None:
            table = table.filter(pc.equal(table[column], value))  # a null never equals: left out
    return table


def latest_ledger_date(con) -> dt.date | None:
    """The latest date in any dated ledger (None in an empty store): default end of the series."""
    return runner.value(con, "core/latest_ledger_date")


def history_start(con) -> dt.date | None:
    """The first disbursement or decision date (None in an empty store)."""
    return runner.value(con, "core/history_start")


def stage_halt(con, p: dict, end: dt.date | None, start: dt.date | None = None, key: str | None = None) -> bool:
    """Register the program-wide daily series (pw_series) and halt status (pw_halt) from the start of
    history to ``end`` (at least to the latest ledger date). False when there is no history."""
    key = key or prepare(con, p)
    first = history_start(con)
    if first is None or end is None:
        return False
    if start is not None:
        first = min(first, start)
    # one series to the latest ledger date serves every earlier day (a day's halt status depends
    # only on the days before it), so summaries at different dates share the cached series
    end = max(end, latest_ledger_date(con) or end, first)
    if series_matches(current(con, p), p, first, end):
        register(con, SERIES)
        return True
    program = dict(runner.program(p), start=first, end=end)
    halt_key = f"{key}|{first}|{end}|{p['overdue_dpd_threshold']}|{p['npl_halt_threshold']}|" \
               f"{p['npl_warning_threshold']}"
    register_loan_changes(con, program)
    stage(con, "pw_series", program, halt_key)
    stage(con, "pw_halt", program, halt_key)
    return True


def register_loan_changes(con, p: dict) -> None:
    """Register pw_loan_changes (ratio/loan_changes.sql for p's scope) unevaluated, for the next
    ratio/npl_series.sql to read: planned together with it, never cached on its own."""
    con.register("pw_loan_changes", runner.relation(con, STAGES["pw_loan_changes"], p))


# ---------------------------------------------------------------- the store

def stamp(con) -> str:
    """The ledgers' current stamp (core/ledger_stamp.sql)."""
    return runner.value(con, "core/ledger_stamp")


def build(con, p: dict) -> None:
    """Write the stored intermediates for the current ledgers and parameters ``p`` (runner.params).

    Call on a write connection, inside the caller's transaction when the load and the rebuild must
    be seen together. Table names come from PREPARED / SERIES only; values are bound."""
    con.execute(runner.sql_text("core/macros"))
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
        first = history_start(con)
        end = latest_ledger_date(con)
        if first is not None and end is not None:
            end = max(end, first)
            program = dict(runner.program(p), start=first, end=end)
            for name, (table, sql_name) in SERIES.items():
                _write(con, name, table, sql_name, program)
                registered.append(name)
            # in loan_id order (insertion order kept): readers get it as snapshot.sql gives it
            _write(con, "pw_snapshot", SNAPSHOT[0], SNAPSHOT[1], dict(runner.program(p), as_of=end))
            registered.append("pw_snapshot")
        else:
            for table, _ in (*SERIES.values(), SNAPSHOT):
                con.execute(f"drop table if exists {table}")
        _write_meta(con, first, end, _param_values(p))
    finally:
        con.execute("reset preserve_insertion_order")
        for name in registered:
            con.unregister(name)
        con.execute("drop table if exists temp.derived_dues_build")


def _param_values(p: dict) -> dict:
    """The parameters the stored tables depend on, as derived_meta records them (with the version)."""
    values = {k: str(p[k]) for k in PREPARED_PARAMS + SERIES_PARAMS}
    values["store_version"] = STORE_VERSION
    return values


def _write_meta(con, first, end, values: dict) -> None:
    con.execute(
        "create or replace table derived_meta as select $stamp::varchar as stamp, "
        "$series_start::date as series_start, $series_end::date as series_end, "
        "$params::varchar as params, current_timestamp::timestamp as built_at",
        {"stamp": stamp(con), "series_start": first, "series_end": end,
         "params": json.dumps(values, sort_keys=True)})


def _read_meta_raw(con) -> dict | None:
    """The derived_meta row with its params parsed, whatever stamp it has (None without one)."""
    if not _has_meta(con):
        return None
    meta = runner.one(con, "core/derived_meta")
    return dict(meta, params=json.loads(meta["params"] or "{}")) if meta else None


def _write(con, name: str, table: str, sql_name: str, p: dict, temporary: bool = False) -> None:
    """Store ``sql_name``.sql's result as ``table`` and register it as ``name`` for the next files."""
    sql = runner.sql_text(sql_name)
    con.execute(f"create or replace {'temp ' if temporary else ''}table {table} as {sql}", runner.params_for(sql, p))
    con.register(name, con.table(table))


def restamp(con, previous_stamp: str) -> bool:
    """After a load that wrote no row of INPUT_LEDGERS: carry the stored tables over to the new
    stamp, but only if they matched the ledgers as they were before that load (``previous_stamp``);
    returns whether they did. Otherwise they stay stale and the next full build replaces them."""
    meta = runner.one(con, "core/derived_meta") if _has_meta(con) else {}
    if meta.get("stamp") != previous_stamp:
        return False
    con.execute("update main.derived_meta set stamp = $stamp", {"stamp": stamp(con)})
    return True


def _has_meta(con) -> bool:
    return bool(runner.value(con, "core/has_derived_meta"))


def _stale(con) -> bool:
    """Whether the stored tables are missing or do not describe the ledgers (an empty store needs none)."""
    if not _has_meta(con):
        return history_start(con) is not None
    meta = runner.one(con, "core/derived_meta")
    return (meta.get("stamp") != stamp(con)
            or json.loads(meta.get("params") or "{}").get("store_version") != STORE_VERSION)


def current(con, p: dict) -> dict | None:
    """The derived_meta row (stamp, series_start, series_end, params) when the stored tables match
    the ledgers and ``p``'s dues parameters; None otherwise."""
    known = memo(con, "meta", lambda c: _read_meta(c) or False)
    if not known or any(known["params"].get(k) != str(p[k]) for k in PREPARED_PARAMS):
        return None
    if known["params"].get("store_version") != STORE_VERSION:
        return None
    return known


def _read_meta(con) -> dict | None:
    if not _has_meta(con):
        return None
    meta = runner.one(con, "core/derived_meta")
    if meta.get("stamp") != stamp(con):
        return None
    return dict(meta, params=json.loads(meta["params"]))


def series_matches(meta: dict | None, p: dict, start: dt.date, end: dt.date) -> bool:
    """Whether the stored program-wide series is the one asked for: same days, same parameters."""
    return (meta is not None and meta["series_start"] == start and meta["series_end"] == end
            and all(meta["params"].get(k) == str(p[k]) for k in SERIES_PARAMS))


def register(con, relations: dict) -> None:
    """Register each stored table of ``relations`` (PREPARED or SERIES) under its engine name."""
    for name, (table, _) in relations.items():
        con.register(name, con.table(table))


def _register_dues(con, p: dict) -> None:
    """Register pw_dues as dues.sql itself, unevaluated: a reader that filters one loan computes
    only that loan's dues (see DUES)."""
    name, sql_name = DUES
    con.register(name, runner.relation(con, sql_name, p))


# ---------------------------------------------------------------- incremental refresh (issue 17)

# the ledgers whose rows belong to one loan: a load that wrote only these (and ledgers the stored
# tables do not read) is refreshed loan by loan
LOAN_LEDGERS = ("loans", "schedule", "repayments", "events")
# per-loan relations in dependency order: (engine name, stored table or None, SQL file); each loan's rows
# depend on its own ledger rows only (dues: its loan row and schedule; flows: its repayments and
# events; due status, first late day, changes to the daily totals: those)
PER_LOAN = (
    ("pw_dues", None, DUES[1]),
    ("pw_flows", PREPARED["pw_flows"][0], STAGES["pw_flows"]),
    ("pw_due_status", PREPARED["pw_due_status"][0], STAGES["pw_due_status"]),
    ("pw_first_late", PREPARED["pw_first_late"][0], STAGES["pw_first_late"]),
    ("pw_loan_changes", SERIES["pw_loan_changes"][0], STAGES["pw_loan_changes"]),
)
SCRATCH = "pw_scratch_"  # prefix of the temp tables holding the affected loans' per-loan rows
LAST_REFRESH: list[str] = []  # how the last refreshes were done (incremental / full / restamp): tests


def refresh_loans(con, p: dict, batches: list[int], previous_stamp: str) -> bool:
    """Refresh the stored tables after a load that wrote only LOAN_LEDGERS rows (``batches``): only
    the loans it touched (core/affected_loans.sql) are recomputed, and the program-wide series, halt
    status and latest-date snapshot are rebuilt from the per-loan tables. Returns False, changing
    nothing, when the stored tables did not describe the ledgers before the load (``previous_stamp``)
    or the history start moved: the caller then rebuilds everything.

    Runs inside the caller's transaction (the load's: readers see the new ledgers and the refreshed
    tables together, or neither). Each per-loan SQL file runs unchanged over temp tables named as
    the ledgers (temp.loans …), holding only the affected loans' rows: an unqualified ``loans`` reads
    the temp table first, so each loan's rows are exactly what a full build gives. The temp ledgers
    are dropped before the series and snapshot read the whole book. (An attached in-memory database
    would do the same, but one DuckDB transaction cannot write to two databases; temp tables can.)"""
    meta = _read_meta_raw(con)
    values = _param_values(p)
    if meta is None or meta["stamp"] != previous_stamp or meta["params"] != values:
        return False
    first, end = history_start(con), latest_ledger_date(con)
    if first is None or end is None or first != meta["series_start"] or end < first:
        return False
    program = runner.program(p)
    sql = runner.sql_text("core/affected_loans")
    con.execute(f"create or replace temp table pw_affected as {sql}", runner.params_for(sql, {"batches": batches}))
    registered: list[str] = []
    scratch = [f"{SCRATCH}{name}" for name, _, _ in PER_LOAN] + [f"{SCRATCH}pw_snapshot"]
    try:
        for ledger in LOAN_LEDGERS:  # names from the fixed tuple above
            con.execute(f"create temp table {ledger} as select * from main.{ledger} "
                        "where loan_id in (select loan_id from pw_affected)")
        try:
            con.execute(runner.sql_text("core/macros"))
            for name, _, sql_name in PER_LOAN:
                _scratch_table(con, name, sql_name, program)
                registered.append(name)
            same_day = end == meta["series_end"]
            if same_day:  # the other loans' rows of the stored snapshot stay what they are
                _scratch_table(con, "pw_snapshot", SNAPSHOT[1], dict(program, as_of=end))
        finally:
            for ledger in LOAN_LEDGERS:  # from here on `loans` is the whole book again
                con.execute(f"drop table if exists temp.{ledger}")
        for name, table, _ in PER_LOAN:
            if table is None:
                continue
            con.execute(f"delete from {table} where loan_id in (select loan_id from pw_affected)")
            con.execute(f"insert into {table} select * from temp.{SCRATCH}{name}")
        register(con, PREPARED)
        registered.extend(PREPARED)
        con.register("pw_loan_changes", con.table(SERIES["pw_loan_changes"][0]))
        series_p = dict(program, start=first, end=end)
        for name in ("pw_series", "pw_halt"):
            table, sql_name = SERIES[name]
            _write(con, name, table, sql_name, series_p)
            registered.append(name)
        # the stored snapshot stays in loan_id order (readers take it as snapshot.sql gives it):
        # the affected loans' rows are updated where they are; a loan new to it, or a new latest
        # date (which moves every loan's DPD), rewrites it whole
        if not (same_day and _update_snapshot(con)):
            _write(con, "pw_snapshot", SNAPSHOT[0], SNAPSHOT[1], dict(program, as_of=end))
            registered.append("pw_snapshot")
        _write_meta(con, first, end, values)
    finally:
        for name in dict.fromkeys(registered):
            con.unregister(name)
        for table in scratch:
            con.execute(f"drop table if exists temp.{table}")
        con.execute("drop table if exists temp.pw_affected")
    return True


def _update_snapshot(con) -> bool:
    """Update the stored snapshot's rows of the affected loans in place from the scratch snapshot;
    False (nothing changed) when the scratch snapshot holds a loan the stored one lacks, or drops one."""
    table, scratch = SNAPSHOT[0], f"temp.{SCRATCH}pw_snapshot"
    stored_rows, scratch_rows, matched = con.execute(
        f"select (select count(*) from {table} where loan_id in (select loan_id from pw_affected)), "
        f"(select count(*) from {scratch}), "
        f"(select count(*) from {scratch} semi join {table} using (loan_id))").fetchall()[0]
    if not stored_rows == scratch_rows == matched:
        return False
    columns = [c for c in con.table(table).columns if c != "loan_id"]  # names of the stored table
    assignments = ", ".join(f"{_quoted(c)} = new.{_quoted(c)}" for c in columns)
    con.execute(f"update {table} set {assignments} from {scratch} as new where {table}.loan_id = new.loan_id")
    return True


def _scratch_table(con, name: str, sql_name: str, p: dict) -> None:
    """``sql_name``.sql over the temp ledgers as temp table SCRATCH + ``name``, registered as ``name``."""
    sql = runner.sql_text(sql_name)
    con.execute(f"create temp table {SCRATCH}{name} as {sql}", runner.params_for(sql, p))
    con.register(name, con.sql(f"select * from temp.{SCRATCH}{name}"))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# ---------------------------------------------------------------- the ingest's after-load hook

class Refresh:
    """The after-load hook ``pipelines.ingest`` receives from its callers (the CLI, the import page),
    called inside the load's own transaction, so readers see the new ledgers and the refreshed
    stored intermediates together or neither: ``before`` notes the stamp; ``after``, when the load
    wrote rows of their inputs, refreshes them loan by loan (``refresh_loans``: only the loans the
    load touched, then the series, halt status and snapshot from the per-loan tables) if the load
    wrote only per-loan ledgers and the tables matched the ledgers before it, and otherwise rebuilds
    them all (decisions or subsidies, a moved history start, a stale store: seconds at 500k loans).
    A load that wrote no input rows (collateral or LPR files, rows all unchanged or rejected, files
    already loaded) carries them over to the new stamp if they matched before, and rebuilds them if
    not (stale). An error propagates: the caller rolls the whole delivery back and refuses it."""

    def before(self, con) -> str:
        return stamp(con)

    def after(self, con, profile, loaded: list, previous_stamp: str) -> None:
        wrote = any(r.rows_loaded > 0 and r.kind in INPUT_LEDGERS for r in loaded)
        if not wrote and loaded and restamp(con, previous_stamp):
            LAST_REFRESH.append("restamp")
            return
        p = runner.params(profile)
        per_loan = all(r.kind in LOAN_LEDGERS for r in loaded if r.rows_loaded > 0 and r.kind in INPUT_LEDGERS)
        if wrote and per_loan and refresh_loans(con, p, [r.batch_id for r in loaded if r.batch_id is not None],
                                                previous_stamp):
            LAST_REFRESH.append("incremental")
            return
        # with nothing loaded, only tables left stale (a kill during an earlier rebuild, rows written
        # outside ingest) are rebuilt; a store without them stays as it is
        if not wrote and not loaded and not _stale(con):
            return
        build(con, p)
        LAST_REFRESH.append("full")


AFTER_LOAD = Refresh()
