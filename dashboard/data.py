"""Cached wrappers around the engine: every number a page shows comes through here.

Each wrapper opens a short-lived read-only connection (DuckDB locks its file, so no
connection is kept), calls one engine function and returns its result. Results are
cached with ``st.cache_data`` keyed on the database path, the profile name, the as-of
date and the latest ingest batch id, so a new load shows up without a restart while
repeated page views cost nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import streamlit as st

from pipelines import ingest, store
from pipelines import profile as profiles
from queries import (
    alert60,
    bans,
    claims,
    collateral,
    compliance,
    derived,
    dpd,
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


# ---- sidebar ------------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def latest_date(db: str, batch: int) -> date | None:
    """The latest ledger date (default as-of), None for an empty or missing store."""
    if batch < 0:
        return None
    with store.read_connection(db) as con:
        return derived.latest_ledger_date(con)


# ---- overview -----------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def overview(db: str, profile: str, as_of: date, batch: int) -> dict:
    """Everything the overview shows at ``as_of``, from one connection (the engine stages its temp
    tables once): summary, alerts, breakdowns, NPL series to as_of, halt episodes, disbursements,
    portfolio mix, subsidies of the year."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        out = {"summary": ratio.summary(con, as_of, p), "alerts": alert60.alerts(con, as_of, p)}
        out["breakdown"] = {by: ratio.breakdown(con, as_of, p, by) for by in ratio.BY_DIMENSIONS}
        out["mix"] = portfolio.mix(con, as_of, p, dpd.loan_snapshot(con, as_of, p))
        out["series"] = ratio.npl_series(con, p, end=as_of)
        out["episodes"] = halt.halt_episodes(con, p, end=as_of)
        out["disbursements"] = portfolio.disbursements_by_month(con, as_of)
        out["disbursed_year"] = portfolio.disbursed_in_year(con, as_of)
        # summed in SQL: the overview needs one total, not a Decimal object per (loan, kind) row
        out["subsidies_year"] = subsidies.year_total(con, as_of, p)
        out["coverage_totals"] = collateral.totals(con, as_of, p)  # R-COVER, beside the ratio
    return out


# ---- outlook ------------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def outlook_data(db: str, profile: str, as_of: date, batch: int, scope: tuple = ()) -> dict:
    """The outlook page's data (queries.outlook): the report's outlook figures with the projection,
    breach loans, wall and HHI frames, the roll matrix, and the thresholds for the chart lines."""
    p = _prof(profile)
    sc = dict(scope) or None
    with store.read_connection(db) as con:
        return {"outlook": outlook.outlook(con, as_of, p, sc), "roll": outlook.roll(con, as_of, p, sc),
                "warning": Decimal(str(p.npl_warning_threshold)), "halt": Decimal(str(p.npl_halt_threshold))}


# ---- overdue and loans --------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def snapshot(db: str, profile: str, as_of: date, batch: int) -> pd.DataFrame:
    """dpd.loan_snapshot at as_of: every loan disbursed by then with outstanding, DPD, bucket, class."""
    with store.read_connection(db) as con:
        return dpd.loan_snapshot(con, as_of, _prof(profile))


@st.cache_data(**CACHE)
def overdue(db: str, profile: str, as_of: date, batch: int, scope: tuple = ()) -> dict:
    """The overdue page's data: the engine's snapshot, ageing and alerts (scoped by bank/guarantor),
    plus the compensation claims for claim status and days left, and the overdue list built from
    them (alert60.overdue_list) with its filter ranges (alert60.overdue_bounds)."""
    p = _prof(profile)
    sc = dict(scope) or None
    with store.read_connection(db) as con:
        out = {
            "snapshot": dpd.loan_snapshot(con, as_of, p, sc),
            "ageing": dpd.ageing(con, as_of, p, sc),
            "alerts": alert60.alerts(con, as_of, p, sc),
            "claims": claims.claims(con, as_of, p),
        }
    out["list"] = alert60.overdue_list(out["snapshot"], out["alerts"], out["claims"])
    out["bounds"] = alert60.overdue_bounds(out["list"])
    return out


def narrow_overdue(rows: pd.DataFrame, buckets, dpd_range, amount_range) -> pd.DataFrame:
    """The overdue list narrowed by bucket, DPD and outstanding (exact yuan bounds): alert60.narrow."""
    return alert60.narrow(rows, buckets, dpd_range, amount_range)


@st.cache_data(**CACHE)
def loan_ids(db: str, batch: int) -> list[str]:
    """Every loan id, sorted (the loan picker)."""
    with store.read_connection(db) as con:
        return portfolio.loan_ids(con)


@st.cache_data(**CACHE)
def loan_index(db: str, batch: int) -> dict[str, str]:
    """Loan id -> its search label 'id · enterprise · credit code · bank', in id order: the loan
    pickers offer the ids and show these labels, so typing 正邦, a credit code or an id finds the loan
    (Streamlit's selectbox filters on the shown label)."""
    with store.read_connection(db) as con:
        frame = portfolio.loan_index(con)
    return dict(zip(frame["loan_id"], frame["label"], strict=True))


@st.cache_data(**CACHE)
def loan_detail(db: str, profile: str, as_of: date, batch: int, loan_id: str) -> dict | None:
    """One loan: terms, pledged IP, dues beside payments, daily DPD history, events, compliance flags
    and renewal chain — each from its rule family's function."""
    p = _prof(profile)
    # whole-book results come from their own caches, shared by every loan viewed at this date
    # (fetched before this function opens its connection)
    chains = renewal_chains(db, batch)
    exc = compliance_data(db, profile, as_of, batch)["exceptions"]
    state = snapshot(db, profile, as_of, batch).query("loan_id == @loan_id")
    with store.read_connection(db) as con:
        terms = portfolio.loan_terms(con, loan_id)
        if terms is None:
            return None
        chain_id = chains.loc[chains["loan_id"] == loan_id, "chain_id"]
        chain = (chains[chains["chain_id"] == chain_id.iloc[0]].sort_values("position")
                 if len(chain_id) and chain_id.iloc[0] is not None else chains.iloc[0:0])
        return {
            "terms": terms,
            "collateral": portfolio.loan_collateral(con, loan_id),
            "dues": schedule.dues(con, loan_id, p),
            "payments": dpd.payments(con, loan_id),
            "cumulative": schedule.cumulative(con, loan_id, p),
            "history": dpd.loan_history(con, loan_id, p, end=as_of),
            "events": portfolio.loan_events(con, loan_id),
            "compliance": exc[exc["loan_id"] == loan_id],
            "chain": chain,
            "state": state,
            "ip_status": collateral.status_history(con, loan_id),
        }


@st.cache_data(**CACHE)
def loan_closure(db: str, profile: str, as_of: date, batch: int, loan_id: str, history: pd.DataFrame) -> dict:
    """How a loan ended by as_of (queries.dpd.closure: repaid, compensated, written off, renewed;
    closed_on; DPD and five-category class of its last active day) and its daily DPD ``history`` up
    to closed_on, so neither the figure nor the line keeps counting after the loan closed."""
    with store.read_connection(db) as con:
        out = dpd.closure(con, loan_id, as_of, _prof(profile))
    closed = out["closed_on"]
    out["history"] = history if closed is None or not len(history) else history[history["at"] <= closed]
    return out


@st.cache_data(**CACHE)
def renewal_chains(db: str, batch: int) -> pd.DataFrame:
    """无还本续贷 chains of every loan (date-independent: keyed on the ledgers only)."""
    with store.read_connection(db) as con:
        return renewals.renewal_chains(con)


# ---- collateral ---------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def collateral_watch(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-IPSTAT / R-COVER at as_of (queries.collateral.page): ip_watch, coverage, fee_calendar,
    totals, at_risk_ips, ip_lost, ip_at_risk, under_secured."""
    with store.read_connection(db) as con:
        return collateral.page(con, as_of, _prof(profile))


# ---- compensation, compliance -------------------------------------------------------------------------

@st.cache_data(**CACHE)
def compensation(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-COMP claims with their count per status, R-LOSS loss sharing, R-BAN bans at as_of (those in
    force first, with their count)."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        claim_rows = claims.claims(con, as_of, p)
        ban_rows = bans.in_force_first(bans.bans(con, as_of, p))
        return {"claims": claim_rows, "counts": claims.status_counts(claim_rows),
                "loss": claims.loss_sharing(con, as_of, p), "bans": ban_rows["rows"],
                "bans_in_force": ban_rows["in_force"]}


@st.cache_data(**CACHE)
def compliance_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """C1–C11 exceptions, the per-rule summary and the headline counts at as_of."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        exc = compliance.exceptions(con, as_of, p)
        summary = compliance.summary(con, as_of, p, exc)
    return {"exceptions": exc, "summary": summary, "headline": compliance.headline(exc, summary)}


@st.cache_data(**CACHE)
def institutions(db: str, batch: int) -> dict[str, list[str]]:
    """Distinct banks, guarantors and appraisers for the filters."""
    with store.read_connection(db) as con:
        frame = portfolio.institutions(con)
    return {dim: frame.loc[frame["dimension"] == dim, "name"].tolist() for dim in ("bank", "guarantor", "appraiser")}


# ---- subsidies ----------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def subsidy_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-SUB eligible beside paid, summed by year, kind, bank and enterprise, and the totals
    (queries.subsidies.summary)."""
    with store.read_connection(db) as con:
        return subsidies.summary(con, as_of, _prof(profile))


# ---- reports ------------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def report_files(db: str, profile: str, as_of: date, batch: int) -> dict:
    """The report CLI's content at as_of (queries.report.build_report) and its files as bytes:
    one UTF-8-BOM CSV per section (write_csv) and the XLSX workbook (write_xlsx)."""
    from io import BytesIO

    with store.read_connection(db) as con:
        rep = report.build_report(con, as_of, _prof(profile))
    with tempfile.TemporaryDirectory() as tmp:
        csvs = {p.stem: p.read_bytes() for p in report.write_csv(rep, Path(tmp))}
    buf = BytesIO()
    report.write_xlsx(rep, buf)
    # rows per file: a vertical table (summary, coverage_totals) is one record
    rows = {name: 1 if name in report.VERTICAL else len(body) for name, (_, body) in report.tables(rep).items()}
    return {"report": rep, "csv": csvs, "xlsx": buf.getvalue(), "rows": rows}


@st.cache_data(**CACHE)
def filing_summary(db: str, batch: int, month_start: date, month_end: date) -> pd.DataFrame:
    """Loans disbursed in the month with the fields of the 九(二) project filing."""
    with store.read_connection(db) as con:
        return portfolio.filing_summary(con, month_start, month_end)


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month (portfolio.month_bounds)."""
    return portfolio.month_bounds(day)


def report_months(day: date) -> list[date]:
    """The month ends a report can be asked for: ``day``'s month and the 35 before it."""
    return portfolio.month_ends(day, 36)


# ---- data import --------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def ingest_history(db: str, batch: int) -> pd.DataFrame:
    """Every ingest batch, newest first, with its reject count."""
    with store.read_connection(db) as con:
        return ingest_log.ingest_history(con)


@st.cache_data(**CACHE)
def batch_rejects(db: str, batch: int, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one batch with file, sheet, row, column, raw value and both reasons."""
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
