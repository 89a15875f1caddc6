"""Cached wrappers around the engine: every number a page shows comes through here.

Each wrapper opens a short-lived read-only connection (DuckDB locks its file, so no
connection is kept), calls one engine function and returns its result. Results are
cached with ``st.cache_data`` keyed on the database path, the profile name, the as-of
date and the latest ingest batch id, so a new load shows up without a restart while
repeated page views cost nothing.

Scope (R-SCOPE): every public wrapper that returns loan-level data reads the signed-in account's
scope itself (``state.scope()``, set by app.py), never from a page argument, and hands it to a
cached inner function as part of the cache key; the engine filters in SQL. So a page cannot ask for
another party's rows, and an out-of-scope loan answers as an unknown one. Program-wide figures
(the program ratio, status, halt episodes, headroom, the outlook's loans_to_breach, days_to_breach
and HHI) are the same for everyone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import state
from pipelines import ingest, store
from pipelines import profile as profiles
from queries import (
    alert60,
    alerts,
    bans,
    claims,
    collateral,
    compliance,
    derived,
    dpd,
    freshness,
    halt,
    ingest_log,
    outlook,
    portfolio,
    ratio,
    renewals,
    report,
    schedule,
    subsidies,
)

CACHE = dict(show_spinner=False, max_entries=256)
LEDGER_KINDS = store.LOAD_ORDER  # the ledger kinds the import page offers, in load order


def db_path() -> str:
    """The database the dashboard reads ($PLEDGEWATCH_DB or data/portfolio.duckdb)."""
    return str(store.resolve_db())


def today() -> date:
    return date.today()


def profile_names() -> list[str]:
    return profiles.available()


def default_profile() -> str:
    name = os.environ.get("PLEDGEWATCH_PROFILE") or profiles.DEFAULT_PROFILE
    return name if name in profiles.available() else profiles.available()[0]


@st.cache_resource(show_spinner=False)
def load_profile(name: str) -> profiles.Profile:
    """The program profile (immutable, shared across sessions)."""
    return profiles.load(name)


def profile_title(name: str) -> str:
    from dashboard.i18n import lang

    p = load_profile(name)
    return p.title_zh if lang() == "zh" else p.title_en


def batch_key(db: str) -> int:
    """The latest ingest batch id (0 for an empty store, -1 when the file is missing): the cache key.

    Deliberately not cached: one cheap aggregate per run is what lets a new load show up.
    """
    if not os.path.exists(db):
        return -1
    with store.read_connection(db) as con:
        return ingest_log.latest_batch(con)


# ---- plumbing -----------------------------------------------------------------------------------------

def _prof(name: str):
    return load_profile(name)


def _scope() -> tuple:
    """The signed-in account's scope as sorted (key, value) pairs, () for the bureau (R-SCOPE)."""
    return tuple(sorted(state.scope()))


def _sc(scope: tuple) -> dict | None:
    """The engine's scope dict of ``scope`` pairs (None = every loan)."""
    return dict(scope) or None


# ---- sidebar ------------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def latest_date(db: str, batch: int) -> date | None:
    """The latest ledger date (default as-of), None for an empty or missing store."""
    if batch < 0:
        return None
    with store.read_connection(db) as con:
        return derived.latest_ledger_date(con)


# ---- overview -----------------------------------------------------------------------------------------

def overview(db: str, profile: str, as_of: date, batch: int) -> dict:
    """Everything the overview shows at ``as_of``, from one connection (the engine stages its temp
    tables once): summary (program-wide: the trigger ratio, status, headroom), the NPL series and
    halt episodes (program-wide), and over the account's loans (R-SCOPE) alerts, breakdowns,
    disbursements, portfolio mix, subsidies of the year and coverage totals. ``own`` is the
    scoped summary of the account's own book and ``own_ratio`` its ratio (both None for the bureau):
    shown beside the program ratio, never instead of it."""
    return _overview(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _overview(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    p = _prof(profile)
    sc = _sc(scope)
    with store.read_connection(db) as con:
        out = {"summary": ratio.summary(con, as_of, p), "alerts": alert60.alerts(con, as_of, p, sc)}
        out["own"] = ratio.summary(con, as_of, p, sc) if sc else None
        out["own_ratio"] = out["own"]["npl_ratio"] if sc else None
        out["breakdown"] = {by: ratio.breakdown(con, as_of, p, by, sc) for by in ratio.BY_DIMENSIONS}
        out["mix"] = portfolio.mix(con, as_of, p, dpd.loan_snapshot(con, as_of, p, sc))
        out["series"] = ratio.npl_series(con, p, end=as_of)
        out["episodes"] = halt.halt_episodes(con, p, end=as_of)
        out["disbursements"] = portfolio.disbursements_by_month(con, as_of, sc)
        out["disbursed_year"] = portfolio.disbursed_in_year(con, as_of, sc)
        # summed in SQL: the overview needs one total, not a Decimal object per (loan, kind) row
        out["subsidies_year"] = subsidies.year_total(con, as_of, p, sc)
        out["coverage_totals"] = collateral.totals(con, as_of, p, sc)  # R-COVER, beside the ratio
    return out


_WARMED: set = set()


def warm(db: str, batch: int, latest: date | None) -> None:
    """Once per (database, batch), after the sign-in page's run (its form is on screen already), with
    the batch and latest date the router read for this run: the bureau's overview and its stale
    banks (R-FRESH) at the latest date go into the cache (scope () — a party's scoped overview is
    its own entry, computed on its first visit) and plotly builds one figure of each kind the
    overview draws (its first figures cost about 0.5 s of imports and validation). So the overview
    after sign-in comes from warm caches (issue 12: its first render). In the page's own thread, not
    a background one: a read connection opened while the sign-in writes its audit row would conflict
    with it; a submit during the warm-up is handled as soon as it ends. Nothing is shown, nothing
    leaves the server; a failure is logged and changes nothing."""
    if batch < 0 or (db, batch) in _WARMED:
        return
    _WARMED.add((db, batch))
    try:
        from dashboard import charts

        charts.warm()
        if latest is not None:
            _overview(db, default_profile(), latest, batch, ())
            _freshness(db, default_profile(), latest, batch, ())  # the stale banks named beside the ratio
    except Exception:  # a warm-up never fails the sign-in page: the overview computes it (and says so)
        logging.getLogger("pledgewatch").exception("cache warm-up failed")


# ---- outlook ------------------------------------------------------------------------------------------

def outlook_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """The outlook page's data (queries.outlook): the report's outlook figures with the projection,
    breach loans, wall and HHI frames, the roll matrix, and the thresholds for the chart lines.
    Projection, loans_to_breach, days_to_breach and HHI are program-wide; breach loans, the wall
    and the roll matrix are the account's loans (R-SCOPE)."""
    return _outlook_data(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _outlook_data(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    p = _prof(profile)
    sc = _sc(scope)
    with store.read_connection(db) as con:
        return {"outlook": outlook.outlook(con, as_of, p, sc), "roll": outlook.roll(con, as_of, p, sc),
                "warning": Decimal(str(p.npl_warning_threshold)), "halt": Decimal(str(p.npl_halt_threshold))}


# ---- overdue and loans --------------------------------------------------------------------------------

def snapshot(db: str, profile: str, as_of: date, batch: int) -> pd.DataFrame:
    """dpd.loan_snapshot at as_of: every loan (of the account's scope) disbursed by then with
    outstanding, DPD, bucket, class."""
    return _snapshot(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _snapshot(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> pd.DataFrame:
    with store.read_connection(db) as con:
        return dpd.loan_snapshot(con, as_of, _prof(profile), _sc(scope))


def within_scope(filters: tuple, scope: tuple) -> tuple:
    """A page's filters (bank / guarantor pairs) narrowed to the account's ``scope``: the scope's own
    keys always win, so a filter can narrow but never widen (R-SCOPE)."""
    return tuple(sorted({**dict(filters), **dict(scope)}.items()))


def overdue(db: str, profile: str, as_of: date, batch: int, filters: tuple = ()) -> dict:
    """The overdue page's data: the engine's snapshot, ageing and alerts (over the account's loans,
    narrowed by the page's bank / guarantor ``filters``), plus the compensation claims for claim
    status and days left, and the overdue list built from them (alert60.overdue_list) with its
    filter ranges (alert60.overdue_bounds)."""
    return _overdue(db, profile, as_of, batch, within_scope(filters, _scope()), _scope())


@st.cache_data(**CACHE)
def _overdue(db: str, profile: str, as_of: date, batch: int, narrowed: tuple, scope: tuple) -> dict:
    p = _prof(profile)
    sc = _sc(narrowed)
    with store.read_connection(db) as con:
        out = {
            "snapshot": dpd.loan_snapshot(con, as_of, p, sc),
            "ageing": dpd.ageing(con, as_of, p, sc),
            "alerts": alert60.alerts(con, as_of, p, sc),
            "claims": claims.claims(con, as_of, p, _sc(scope)),
        }
    out["list"] = alert60.overdue_list(out["snapshot"], out["alerts"], out["claims"])
    out["bounds"] = alert60.overdue_bounds(out["list"])
    return out


def narrow_overdue(rows: pd.DataFrame, buckets, dpd_range, amount_range) -> pd.DataFrame:
    """The overdue list narrowed by bucket, DPD and outstanding (exact yuan bounds): alert60.narrow."""
    return alert60.narrow(rows, buckets, dpd_range, amount_range)


def loan_ids(db: str, batch: int) -> list[str]:
    """Every loan id of the account's scope, sorted (the loan picker)."""
    return _loan_ids(db, batch, _scope())


@st.cache_data(**CACHE)
def _loan_ids(db: str, batch: int, scope: tuple) -> list[str]:
    with store.read_connection(db) as con:
        return portfolio.loan_ids(con, _sc(scope))


def loan_index(db: str, batch: int) -> dict[str, str]:
    """Loan id -> its search label 'id · enterprise · credit code · bank', in id order, of the
    account's loans (R-SCOPE): the loan pickers offer the ids and show these labels, so typing 正邦,
    a credit code or an id finds the loan (Streamlit's selectbox filters on the shown label)."""
    return _loan_index(db, batch, _scope())


@st.cache_data(**CACHE)
def _loan_index(db: str, batch: int, scope: tuple) -> dict[str, str]:
    with store.read_connection(db) as con:
        frame = portfolio.loan_index(con, _sc(scope))
    return dict(zip(frame["loan_id"], frame["label"], strict=True))


@st.cache_data(**CACHE)
def loan_detail(db: str, profile: str, as_of: date, batch: int, loan_id: str) -> dict | None:
    """One loan: terms, pledged IP, dues beside payments, daily DPD history, events, compliance flags
    and renewal chain — each from its rule family's function. None for an unknown loan and for a
    loan outside the account's scope alike (R-SCOPE)."""
    return _loan_detail(db, profile, as_of, batch, loan_id, _scope())


@st.cache_data(**CACHE)
def _loan_detail(db: str, profile: str, as_of: date, batch: int, loan_id: str, scope: tuple) -> dict | None:
    p = _prof(profile)
    sc = _sc(scope)
    # whole-book results come from their own caches, shared by every loan viewed at this date
    # (fetched before this function opens its connection)
    chains = _renewal_chains(db, batch, scope)
    exc = _compliance_data(db, profile, as_of, batch, scope)["exceptions"]
    loan_state = _snapshot(db, profile, as_of, batch, scope).query("loan_id == @loan_id")
    with store.read_connection(db) as con:
        terms = portfolio.loan_terms(con, loan_id, sc)
        if terms is None:
            return None
        chain_id = chains.loc[chains["loan_id"] == loan_id, "chain_id"]
        chain = (chains[chains["chain_id"] == chain_id.iloc[0]].sort_values("position")
                 if len(chain_id) and chain_id.iloc[0] is not None else chains.iloc[0:0])
        return {
            "terms": terms,
            "collateral": portfolio.loan_collateral(con, loan_id, sc),
            "dues": schedule.dues(con, loan_id, p, sc),
            "payments": dpd.payments(con, loan_id, sc),
            "cumulative": schedule.cumulative(con, loan_id, p, sc),
            "history": dpd.loan_history(con, loan_id, p, end=as_of, scope=sc),
            "events": portfolio.loan_events(con, loan_id, sc),
            "compliance": exc[exc["loan_id"] == loan_id],
            "chain": chain,
            "state": loan_state,
            "ip_status": collateral.status_history(con, loan_id, sc),
        }


def loan_closure(db: str, profile: str, as_of: date, batch: int, loan_id: str, history: pd.DataFrame) -> dict | None:
    """How a loan ended by as_of (queries.dpd.closure: repaid, compensated, written off, renewed;
    closed_on; DPD and five-category class of its last active day) and its daily DPD ``history`` up
    to closed_on, so neither the figure nor the line keeps counting after the loan closed. None for a
    loan outside the account's scope (R-SCOPE), as for an unknown one."""
    return _loan_closure(db, profile, as_of, batch, loan_id, history, _scope())


@st.cache_data(**CACHE)
def _loan_closure(db: str, profile: str, as_of: date, batch: int, loan_id: str, history: pd.DataFrame,
                  scope: tuple) -> dict | None:
    with store.read_connection(db) as con:
        out = dpd.closure(con, loan_id, as_of, _prof(profile), _sc(scope))
    if out is None:
        return None
    closed = out["closed_on"]
    out["history"] = history if closed is None or not len(history) else history[history["at"] <= closed]
    return out


@st.cache_data(**CACHE)
def renewal_chains(db: str, batch: int) -> pd.DataFrame:
    """无还本续贷 chains of the account's loans (date-independent: keyed on the ledgers only)."""
    return _renewal_chains(db, batch, _scope())


@st.cache_data(**CACHE)
def _renewal_chains(db: str, batch: int, scope: tuple) -> pd.DataFrame:
    with store.read_connection(db) as con:
        return renewals.renewal_chains(con, _sc(scope))


# ---- collateral ---------------------------------------------------------------------------------------

def collateral_watch(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-IPSTAT / R-COVER at as_of over the account's loans (queries.collateral.page): ip_watch,
    coverage, fee_calendar, totals, at_risk_ips, ip_lost, ip_at_risk, under_secured."""
    return _collateral_watch(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _collateral_watch(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    with store.read_connection(db) as con:
        return collateral.page(con, as_of, _prof(profile), _sc(scope))


# ---- compensation, compliance -------------------------------------------------------------------------

def compensation(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-COMP claims with their count per status, R-LOSS loss sharing, R-BAN bans at as_of (those in
    force first, with their count) — of the account's loans (R-SCOPE)."""
    return _compensation(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _compensation(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    p = _prof(profile)
    sc = _sc(scope)
    with store.read_connection(db) as con:
        claim_rows = claims.claims(con, as_of, p, sc)
        ban_rows = bans.in_force_first(bans.bans(con, as_of, p, sc))
        return {"claims": claim_rows, "counts": claims.status_counts(claim_rows),
                "loss": claims.loss_sharing(con, as_of, p, sc), "bans": ban_rows["rows"],
                "bans_in_force": ban_rows["in_force"]}


def compliance_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """C1–C11 exceptions of the account's loans, the per-rule summary and the headline counts at
    as_of (R-SCOPE)."""
    return _compliance_data(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _compliance_data(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    p = _prof(profile)
    with store.read_connection(db) as con:
        exc = compliance.exceptions(con, as_of, p, scope=_sc(scope))
        summary = compliance.summary(con, as_of, p, exc)
    return {"exceptions": exc, "summary": summary, "headline": compliance.headline(exc, summary)}


def institutions(db: str, batch: int) -> dict[str, list[str]]:
    """Distinct banks, guarantors and appraisers named on the account's loans, for the filters."""
    return _institutions(db, batch, _scope())


@st.cache_data(**CACHE)
def _institutions(db: str, batch: int, scope: tuple) -> dict[str, list[str]]:
    with store.read_connection(db) as con:
        frame = portfolio.institutions(con, _sc(scope))
    return {dim: frame.loc[frame["dimension"] == dim, "name"].tolist() for dim in ("bank", "guarantor", "appraiser")}


# ---- subsidies ----------------------------------------------------------------------------------------

def subsidy_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-SUB eligible beside paid, summed by year, kind, bank and enterprise, and the totals
    (queries.subsidies.summary), over the account's loans."""
    return _subsidy_data(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _subsidy_data(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    with store.read_connection(db) as con:
        return subsidies.summary(con, as_of, _prof(profile), _sc(scope))


# ---- reports ------------------------------------------------------------------------------------------

def report_files(db: str, profile: str, as_of: date, batch: int) -> dict:
    """The report CLI's content at as_of (queries.report.build_report, with the account's scope as
    ``--scope`` gives it) and its files as bytes: one UTF-8-BOM CSV per section (write_csv) and the
    XLSX workbook (write_xlsx)."""
    return _report_files(db, profile, as_of, batch, _scope())


@st.cache_data(**CACHE)
def _report_files(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    from io import BytesIO

    with store.read_connection(db) as con:
        rep = report.build_report(con, as_of, _prof(profile), _sc(scope))
    with tempfile.TemporaryDirectory() as tmp:
        csvs = {p.stem: p.read_bytes() for p in report.write_csv(rep, Path(tmp))}
    buf = BytesIO()
    report.write_xlsx(rep, buf)
    # rows per file: a vertical table (summary, coverage_totals) is one record
    rows = {name: 1 if name in report.VERTICAL else len(body) for name, (_, body) in report.tables(rep).items()}
    return {"report": rep, "csv": csvs, "xlsx": buf.getvalue(), "rows": rows}


def filing_summary(db: str, batch: int, month_start: date, month_end: date) -> pd.DataFrame:
    """The account's loans disbursed in the month with the fields of the 九(二) project filing."""
    return _filing_summary(db, batch, month_start, month_end, _scope())


@st.cache_data(**CACHE)
def _filing_summary(db: str, batch: int, month_start: date, month_end: date, scope: tuple) -> pd.DataFrame:
    with store.read_connection(db) as con:
        return portfolio.filing_summary(con, month_start, month_end, _sc(scope))


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month (portfolio.month_bounds)."""
    return portfolio.month_bounds(day)


def report_months(day: date) -> list[date]:
    """The month ends a report can be asked for: ``day``'s month and the 35 before it."""
    return portfolio.month_ends(day, 36)


# ---- data import --------------------------------------------------------------------------------------

def ingest_history(db: str, batch: int) -> pd.DataFrame:
    """Every ingest batch, newest first, with its reject count: the bureau's (R-SCOPE: a scoped
    account gets no rows; its raw rows name every bank's loans)."""
    rows = _ingest_history(db, batch)
    return rows.iloc[0:0] if _scope() else rows


@st.cache_data(**CACHE)
def _ingest_history(db: str, batch: int) -> pd.DataFrame:
    with store.read_connection(db) as con:
        return ingest_log.ingest_history(con)


def batch_rejects(db: str, batch: int, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one batch with file, sheet, row, column, raw value and both reasons; the
    bureau's only, as ingest_history."""
    rows = _batch_rejects(db, batch, batch_id)
    return rows.iloc[0:0] if _scope() else rows


@st.cache_data(**CACHE)
def _batch_rejects(db: str, batch: int, batch_id: int) -> pd.DataFrame:
    with store.read_connection(db) as con:
        return ingest_log.batch_rejects(con, batch_id)


def loaded_before(path, db: str, batch: int) -> int | None:
    """The batch that already loaded this very file (same SHA-256), None when it is new: the import
    page says so instead of a preview the load would then skip."""
    from pipelines import readers

    if batch < 0:
        return None
    with store.read_connection(db) as con:
        return ingest_log.batch_of_file(con, readers.sha256_of(Path(path)))


def preview_file(path, kind: str | None, db: str | None) -> list:
    """What loading one file would do (pipelines.ingest.preview), without writing anything."""
    return ingest.preview(path, kind=kind, db=db)


def rejected_rows(rejects: pd.DataFrame) -> int:
    """The number of rows a preview's rejects frame refuses (ingest_log.rejected_rows)."""
    return ingest_log.rejected_rows(rejects)


def load_files(paths, db: str, kind: str | None) -> list:
    """Load files as the CLI does, the engine's derived tables refreshed after the load."""
    return ingest.ingest_paths(paths, db=db, kind=kind, after_load=derived.AFTER_LOAD)


# Uploads wait here between the preview and the confirmation: a folder only this user may read (an
# upload holds borrowers' data), and anything older than UPLOAD_TTL_S is removed on the next upload,
# so a file never confirmed does not stay behind.
UPLOAD_TTL_S = 3600


def upload_root() -> Path:
    """The private folder uploads wait in (mode 0700, under the system temp folder)."""
    root = Path(tempfile.gettempdir()) / f"pledgewatch_uploads_{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    os.chmod(root, 0o700)  # mkdir's mode is masked by the umask, and an older folder may be wider
    return root


def save_upload(file_id: str, name: str, content: bytes) -> Path:
    """Write an upload under its own file name (the batch records it) into a folder of its own,
    readable by this user only; sweep uploads older than UPLOAD_TTL_S first."""
    root = upload_root()
    now = time.time()
    for old in root.iterdir():
        if now - old.stat().st_mtime > UPLOAD_TTL_S:
            shutil.rmtree(old, ignore_errors=True)
    folder = root / hashlib.sha256(file_id.encode("utf-8")).hexdigest()[:32]  # never a path from input
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / Path(name).name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
    return path


def discard_upload(path: Path) -> None:
    """Remove an upload's folder once it is loaded."""
    shutil.rmtree(Path(path).parent, ignore_errors=True)


# ---- alerts and data freshness (R-NOTIFY, R-FRESH) ----------------------------------------------------

def _reader() -> tuple[str | None, str, str | None]:
    """(username, role, organisation) of the signed-in account; without one (no sign-in configured)
    the bureau's view, with no name to acknowledge under."""
    from dashboard import state

    ctx = state.current()
    if ctx.role is None:
        return None, "bureau_viewer", None
    return ctx.username, ctx.role, ctx.organisation


@st.cache_data(**CACHE)
def _freshness(db: str, profile: str, as_of: date, batch: int, scope: tuple) -> dict:
    with store.read_connection(db) as con:
        table = freshness.files(con, as_of, _prof(profile), dict(scope) or None)
    return {"table": table, "stale": [b for b, s in zip(table["bank"], table["stale"], strict=True) if s]}


def stale_banks(db: str, profile: str, as_of: date, batch: int) -> str:
    """The stale banks at ``as_of`` (R-FRESH) within the signed-in account's scope, their names joined
    by '、' ('' when none)."""
    from dashboard import state

    return "、".join(_freshness(db, profile, as_of, batch, state.scope())["stale"])


def freshness_table(db: str, profile: str, as_of: date, batch: int) -> pd.DataFrame:
    """The per-bank freshness table (R-FRESH: last file, its rows and rejects, missing months) within
    the account's scope: every bank for the bureau."""
    from dashboard import state

    return _freshness(db, profile, as_of, batch, state.scope())["table"]


def alert_kinds() -> tuple[str, ...]:
    """The stable codes of the alert kinds (R-NOTIFY), for the inbox filter."""
    return alerts.KINDS


def inbox(db: str, kind: str | None = None) -> dict:
    """The stored alert events in the account's scope, newest first (R-NOTIFY, R-SCOPE): rows (columns
    SECTIONS['inbox'], kind, key, detail), open (the 'kind|key' codes not acknowledged yet, newest
    first) and unacknowledged (their count). Not cached: an acknowledgement shows at once."""
    username, role, org = _reader()
    with store.read_connection(db) as con:
        rows = alerts.inbox(con, username or "", role, org, kind)
    frame = pd.DataFrame(rows, columns=["event_on", "kind", "key", "loan_id", "bank", "detail", "acknowledged",
                                        "acked_at"])
    frame = frame.assign(alert_kind=frame["kind"], event_key=frame["key"])
    open_ = [f"{r['kind']}|{r['key']}" for r in rows if not r["acknowledged"]]
    return {"rows": frame, "open": open_, "unacknowledged": len(open_)}


def unacknowledged(db: str) -> int | None:
    """The signed-in account's unacknowledged alerts (the sidebar count); None without an account
    or a store."""
    username, role, org = _reader()
    if username is None or not os.path.exists(db):
        return None
    with store.read_connection(db) as con:
        return alerts.unacknowledged(con, username, role, org)


def can_acknowledge() -> bool:
    """Whether an account is signed in to acknowledge under."""
    return _reader()[0] is not None


def acknowledge(db: str, events: list[str]) -> int:
    """Acknowledge the inbox events ``events`` ('kind|key' codes) as the signed-in account (who, when)."""
    username = _reader()[0]
    if username is None:
        return 0
    for code in events:
        kind, key = code.split("|", 1)
        alerts.acknowledge(db, username, kind, key)
    return len(events)
