"""Incremental refresh of the stored intermediates (issue 17; queries/derived.py refresh_loans): after
random sequences of increments — backdated repayments, changed principals, new loans, corrected
repayments, events, a new latest date — every derived_* table and the report JSON are exactly those
of a full rebuild (R-OUT, R-DPD, R-NPL, R-HALT, R-PROJ and every report figure read them).

The reference is derived.build on a copy of the same database: the full rebuild every earlier
version did after each load. Tables are compared as multisets of rows with their column types (row
order carries no meaning in the per-loan tables) and the snapshot and series also in order; the
report as its JSON text, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from demo.scale import generate_scale
from pipelines import ingest
from pipelines import profile as profile_mod
from queries import derived, report, runner

PROFILE = profile_mod.load("anyi")
LOAN_COLUMNS = ("loan_id", "enterprise_name", "credit_code", "bank", "pledge_mode", "guarantor", "appraiser",
                "principal", "annual_rate", "disbursed_on", "matures_on", "appraised_value", "guarantee_fee",
                "appraisal_fee", "industry")
REPAYMENT_COLUMNS = ("txn_id", "loan_id", "paid_on", "principal_paid", "interest_paid")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A generated book of 300 loans, loaded with the after-load refresh (a full build)."""
    folder = tmp_path_factory.mktemp("incremental_book")
    generate_scale(folder / "files", 300, seed=17)
    db = folder / "book.duckdb"
    results = ingest.ingest_paths([folder / "files"], db=db, after_load=derived.AFTER_LOAD)
    assert all(r.outcome == "loaded" for r in results)
    return db


def _write_csv(path: Path, columns, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        out.writerows(rows)
    return path


def _text(value) -> str:
    return "" if value is None else str(value)


KINDS = ("backdated", "principal", "new_loans", "correction", "next_day", "event", "mixed")


def _increment(con, rng: random.Random, folder: Path, n: int, kind: str) -> list[Path]:
    """One random increment's files of ``kind``, from the database as it is (read on ``con``)."""
    last = derived.latest_ledger_date(con)
    loans = con.execute(f"select {', '.join(LOAN_COLUMNS)} from loans order by loan_id").fetchall()
    files = []
    repayments, loan_rows = [], []
    if kind in ("backdated", "mixed"):
        for k in range(rng.randint(1, 4)):
            loan = rng.choice(loans)
            day = loan[9] + dt.timedelta(days=rng.randint(1, max(1, (last - loan[9]).days)))
            repayments.append((f"B{n}_{k}", loan[0], min(day, last), "0.00", f"{rng.randint(1, 50000) / 100:.2f}"))
    if kind in ("correction", "mixed"):  # an existing transaction sent again with other amounts
        row_key, loan_id, paid_on, principal, interest = con.execute(
            "select row_key, loan_id, paid_on, principal_paid, interest_paid from repayments "
            "order by hash(row_key, $n) limit 1", {"n": n}).fetchall()[0]
        change = Decimal(rng.randint(1, 500)) / 100
        repayments.append((row_key, loan_id, paid_on, f"{principal:.2f}",
                           f"{interest - change if interest > change else interest + change:.2f}"))
    if kind == "next_day":  # a new latest ledger date: every loan's DPD moves
        loan = rng.choice([r for r in loans if r[10] > last] or loans)
        repayments.append((f"N{n}", loan[0], last + dt.timedelta(days=rng.randint(1, 20)), "0.00", "100.00"))
    if kind in ("principal", "mixed"):  # a loan corrected: another principal
        loan = list(rng.choice(loans))
        loan[7] = loan[7] + rng.choice([-1, 1]) * rng.randint(1, 20) * 1000
        loan_rows.append(loan)
    if kind in ("new_loans", "mixed"):
        for k in range(rng.randint(1, 3)):
            loan = list(rng.choice(loans))
            loan[0] = f"X{n:03d}{k}"
            start = last - dt.timedelta(days=rng.randint(0, 400))
            loan[9], loan[10] = start, start + dt.timedelta(days=365)
            loan_rows.append(loan)
            if rng.random() < 0.7:
                repayments.append((f"X{n}_{k}", loan[0], start + dt.timedelta(days=30), "0.00",
                                   f"{rng.randint(100, 300000) / 100:.2f}"))
    if kind == "event":  # a compensation counts as principal paid (R-OUT)
        loan = rng.choice(loans)
        day = min(last, loan[10] + dt.timedelta(days=rng.randint(1, 90)))
        files.append(_write_csv(folder / f"events_{n}.csv", ("loan_id", "event_on", "kind", "party", "amount"),
                                [(loan[0], day, "compensation", "guarantor", f"{rng.randint(1, 100) * 1000}.00")]))
    if loan_rows:
        files.append(_write_csv(folder / f"loans_{n}.csv", LOAN_COLUMNS, [[_text(v) for v in r] for r in loan_rows]))
    if repayments:
        files.append(_write_csv(folder / f"repayments_{n}.csv", REPAYMENT_COLUMNS,
                                [[_text(v) for v in r] for r in repayments]))
    return files


def _derived_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where table_name like 'derived%' and table_name <> 'derived_meta' "
        "order by 1").fetchall()]


def _assert_same_store(incremental: Path, rebuilt: Path) -> None:
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        tables = _derived_tables(con)
        assert {"derived_flows", "derived_due_status", "derived_first_late", "derived_loan_changes",
                "derived_series", "derived_halt", "derived_snapshot"} <= set(tables)
        for table in tables:
            types = con.execute(f"select column_name, data_type from duckdb_columns() where table_name = '{table}' "
                                "and database_name = current_database() order by column_index").fetchall()
            full_types = con.execute(f"select column_name, data_type from duckdb_columns() where table_name = "
                                     f"'{table}' and database_name = 'rebuilt' order by column_index").fetchall()
            assert types == full_types, table
            extra, missing, rows = con.execute(
                f"select (select count(*) from (select * from {table} except all select * from rebuilt.{table})), "
                f"(select count(*) from (select * from rebuilt.{table} except all select * from {table})), "
                f"(select count(*) from {table})").fetchall()[0]
            assert (extra, missing) == (0, 0), (table, extra, missing, rows)
        for table in ("derived_snapshot", "derived_series", "derived_halt"):  # readers rely on their order
            assert con.execute(f"select * from {table}").fetchall() == \
                con.execute(f"select * from rebuilt.{table}").fetchall(), table
        meta = con.execute("select stamp, series_start, series_end, params from derived_meta").fetchall()
        assert meta == con.execute("select stamp, series_start, series_end, params from rebuilt.derived_meta").fetchall()


def _report_json(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        derived.clear_cache()
        assert derived.current(con, runner.params(PROFILE)) is not None  # served by the stored tables
        last = derived.latest_ledger_date(con)
        return report.to_json(report.build_report(con, last, PROFILE))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_increments_refresh_exactly_like_a_full_rebuild(book, tmp_path, seed):
    rng = random.Random(seed)
    db = tmp_path / "book.duckdb"
    shutil.copyfile(book, db)
    paths = []
    kinds = rng.sample(KINDS, len(KINDS))  # every kind once, in a random order, on top of the last
    for n, kind in enumerate(kinds):
        with duckdb.connect(str(db), read_only=True) as con:
            files = _increment(con, rng, tmp_path, seed * 100 + n, kind)
        del derived.LAST_REFRESH[:]
        results = ingest.ingest_paths(files, db=db, after_load=derived.AFTER_LOAD)
        assert all(r.outcome == "loaded" for r in results), [r.message_en for r in results]
        assert all(r.rows_rejected == 0 for r in results), [r.message_en for r in results]
        if any(r.rows_loaded for r in results):
            paths.append(derived.LAST_REFRESH[-1])
        # the reference: the same database, every stored table rebuilt from the ledgers
        rebuilt = tmp_path / "rebuilt.duckdb"
        shutil.copyfile(db, rebuilt)
        with duckdb.connect(str(rebuilt)) as con:
            con.execute("begin transaction")
            derived.build(con, runner.params(PROFILE))
            con.execute("commit")
        _assert_same_store(db, rebuilt)
        assert _report_json(db) == _report_json(rebuilt)
    assert len(paths) == len(KINDS) and set(paths) == {"incremental"}, paths  # the incremental path was the one tested
