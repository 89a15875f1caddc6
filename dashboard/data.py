"""Cached wrappers around the engine: every number a page shows comes through here.

Each wrapper opens a short-lived read-only connection (DuckDB locks its file, so no
connection is kept), calls one engine function and returns its result. Results are
cached with ``st.cache_data`` keyed on the database path, the profile name, the as-of
date and the latest ingest batch id, so a new load shows up without a restart while
repeated page views cost nothing.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

from pipelines import ingest, store
from pipelines import profile as profiles
from queries import (
    alert60,
    bans,
    claims,
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
    plus the compensation claims for claim status and days left."""
    p = _prof(profile)
    sc = dict(scope) or None
    with store.read_connection(db) as con:
        return {
            "snapshot": dpd.loan_snapshot(con, as_of, p, sc),
            "ageing": dpd.ageing(con, as_of, p, sc),
            "alerts": alert60.alerts(con, as_of, p, sc),
            "claims": claims.claims(con, as_of, p),
        }


@st.cache_data(**CACHE)
def loan_ids(db: str, batch: int) -> list[str]:
    """Every loan id, sorted (the loan picker)."""
    with store.read_connection(db) as con:
        return portfolio.loan_ids(con)


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
            "history": dpd.loan_history(con, loan_id, p, end=as_of),
            "events": portfolio.loan_events(con, loan_id),
            "compliance": exc[exc["loan_id"] == loan_id],
            "chain": chain,
            "state": state,
        }


@st.cache_data(**CACHE)
def renewal_chains(db: str, batch: int) -> pd.DataFrame:
    """无还本续贷 chains of every loan (date-independent: keyed on the ledgers only)."""
    with store.read_connection(db) as con:
        return renewals.renewal_chains(con)


# ---- compensation, compliance -------------------------------------------------------------------------

@st.cache_data(**CACHE)
def compensation(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-COMP claims, R-LOSS loss sharing, R-BAN bans at as_of."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        return {"claims": claims.claims(con, as_of, p), "loss": claims.loss_sharing(con, as_of, p),
                "bans": bans.bans(con, as_of, p)}


@st.cache_data(**CACHE)
def compliance_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """C1–C11 exceptions and the per-rule summary at as_of."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        exc = compliance.exceptions(con, as_of, p)
        return {"exceptions": exc, "summary": compliance.summary(con, as_of, p, exc)}


@st.cache_data(**CACHE)
def institutions(db: str, batch: int) -> dict[str, list[str]]:
    """Distinct banks, guarantors and appraisers for the filters."""
    with store.read_connection(db) as con:
        frame = portfolio.institutions(con)
    return {dim: frame.loc[frame["dimension"] == dim, "name"].tolist() for dim in ("bank", "guarantor", "appraiser")}


# ---- subsidies ----------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def subsidy_data(db: str, profile: str, as_of: date, batch: int) -> dict:
    """R-SUB eligible beside paid (queries.subsidies.comparison), summed by year, kind, bank and
    enterprise, plus the grand total (queries.subsidies.rollup)."""
    p = _prof(profile)
    with store.read_connection(db) as con:
        comp = subsidies.comparison(con, as_of, p)
        roll = subsidies.rollup(con, as_of, p, comp)
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


# ---- reports ------------------------------------------------------------------------------------------

@st.cache_data(**CACHE)
def report_files(db: str, profile: str, as_of: date, batch: int) -> dict:
    """The report CLI's content at as_of (queries.report.build_report) and its files as bytes:
    one UTF-8-BOM CSV per section (write_csv) and the XLSX workbook (write_xlsx)."""
    import tempfile
    from io import BytesIO
    from pathlib import Path

    with store.read_connection(db) as con:
        rep = report.build_report(con, as_of, _prof(profile))
    with tempfile.TemporaryDirectory() as tmp:
        csvs = {p.stem: p.read_bytes() for p in report.write_csv(rep, Path(tmp))}
    buf = BytesIO()
    report.write_xlsx(rep, buf)
    return {"report": rep, "csv": csvs, "xlsx": buf.getvalue()}


@st.cache_data(**CACHE)
def filing_summary(db: str, batch: int, month_start: date, month_end: date) -> pd.DataFrame:
    """Loans disbursed in the month with the fields of the 九(二) project filing."""
    with store.read_connection(db) as con:
        return portfolio.filing_summary(con, month_start, month_end)


def overdue_list(d: dict) -> pd.DataFrame:
    """The engine's overdue loans (snapshot rows with overdue = true) with alert_since and the claim's
    status, deadline and days left — the overdue page's table and its download."""
    snap = d["snapshot"]
    rows = snap[snap["overdue"]]
    alerts = d["alerts"][["loan_id", "alert_since"]]
    claims = d["claims"][["loan_id", "status", "deadline", "days_left"]].rename(columns={"status": "claim_status"})
    return (rows.merge(alerts, on="loan_id", how="left").merge(claims, on="loan_id", how="left")
            .sort_values(["dpd", "loan_id"], ascending=[False, True]).reset_index(drop=True))


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


def preview_file(path, kind: str | None, db: str | None) -> list:
    """What loading one file would do (pipelines.ingest.preview), without writing anything."""
    return ingest.preview(path, kind=kind, db=db)


def load_files(paths, db: str, kind: str | None) -> list:
    """Load files as the CLI does, the engine's derived tables refreshed after the load."""
    return ingest.ingest_paths(paths, db=db, kind=kind, after_load=derived.AFTER_LOAD)
