"""The engine's stored intermediates (queries/derived.py): written at ingest, used only while they
describe the ledgers and the profile, and never changing a figure.

The reference is the engine's in-memory path (the one every engine test before derived.py pinned):
each figure is computed twice on the ingested demo database — once served by the stored tables,
once with them ignored — and must be identical, value for value (R-SCHED, R-DPD, R-NPL, R-HALT,
R-SUB read them).
"""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dashboard_fixtures import build_demo_db

from pipelines import ingest
from pipelines import profile as profile_mod
from queries import alert60, derived, dpd, halt, ratio, runner, schedule, subsidies

PROFILE = profile_mod.load("anyi")
DATES = [dt.date(2023, 3, 31), dt.date(2024, 3, 21), dt.date(2024, 6, 28), dt.date(2025, 1, 15)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("stored_demo"))


def _figures(con) -> dict:
    """Every engine output that reads the stored relations, at several dates."""
    out = {
        "series": ratio.npl_series(con, PROFILE),
        "episodes": halt.halt_episodes(con, PROFILE),
        "resumes": halt.resumes(con, PROFILE),
        "status": halt.status_on(con, DATES, PROFILE),
    }
    loan_ids = [r[0] for r in con.execute("select loan_id from loans order by loan_id limit 3").fetchall()]
    for loan_id in loan_ids:
        out[f"dues {loan_id}"] = schedule.dues(con, loan_id, PROFILE)
    for day in DATES:
        out[f"snapshot {day}"] = dpd.loan_snapshot(con, day, PROFILE)
        summary = ratio.summary(con, day, PROFILE)
        out[f"summary {day}"] = pd.DataFrame([{k: str(v) for k, v in summary.items()}])
        out[f"alerts {day}"] = alert60.alerts(con, day, PROFILE)
        out[f"eligible {day}"] = subsidies.eligible(con, day, PROFILE)
    return out


def test_ingest_stores_the_intermediates_for_the_loaded_ledgers(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        meta = derived.current(con, runner.params(PROFILE))
        assert meta is not None
        assert meta["stamp"] == derived.stamp(con)
        assert meta["series_start"] == derived.history_start(con)
        assert meta["series_end"] == derived.latest_ledger_date(con)
        # dues are not kept (derived.DUES): one loan's come from dues.sql on demand
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert {"derived_flows", "derived_due_status", "derived_series", "derived_halt"} <= tables
        assert "derived_dues" not in tables
        # the stored tables hold exactly what the SQL files compute in memory: every row and column
        # (readers of pw_flows may use its interest rows too, e.g. subsidy_eligible.sql)
        p = runner.params(PROFILE)
        derived.clear_cache()
        with monkeypatched_current(None):  # register the in-memory relations under their pw_* names
            derived.prepare(con, p)
            assert derived.stage_halt(con, p, derived.latest_ledger_date(con))
        for name, (table, _) in {**derived.PREPARED, **derived.SERIES}.items():
            diff = con.execute(f"select (select count(*) from (select * from {name} except all select * from {table})),"
                               f" (select count(*) from (select * from {table} except all select * from {name})),"
                               f" (select count(*) from {table})").fetchall()[0]
            assert diff[:2] == (0, 0) and diff[2] > 0, (name, diff)
        derived.clear_cache()


@contextmanager
def monkeypatched_current(value):
    """derived.current answering ``value`` inside the block (None: the engine computes in memory)."""
    real = derived.current
    derived.current = lambda con, p: value
    try:
        yield
    finally:
        derived.current = real


def test_stored_and_in_memory_paths_give_identical_figures(demo_db, monkeypatch):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        derived.clear_cache()
        served = _figures(con)
    derived.clear_cache()
    monkeypatch.setattr(derived, "current", lambda con, p: None)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        computed = _figures(con)
    derived.clear_cache()
    assert served.keys() == computed.keys()
    for name in served:
        pd.testing.assert_frame_equal(served[name].reset_index(drop=True), computed[name].reset_index(drop=True),
                                      check_exact=True, obj=name)
    # the demo's story is in these frames (not an empty comparison)
    assert served["episodes"]["start_on"].tolist()[0] == dt.date(2024, 3, 21)
    assert len(served[f"snapshot {DATES[-1]}"]) > 100


def test_stored_tables_are_ignored_when_they_no_longer_describe_the_ledgers(demo_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, db)
    p = runner.params(PROFILE)
    with duckdb.connect(str(db)) as con:
        assert derived.current(con, p) is not None
        # another profile's dues parameters
        assert derived.current(con, dict(p, interest_day=p["interest_day"] + 20)) is None
        assert derived.current(con, dict(p, amount_tolerance=p["amount_tolerance"] * 2)) is None
        # a row written outside ingest
        con.execute("insert into decisions select decided_on + 1, kind, note, extras, batch_id from decisions limit 1")
        assert derived.current(con, p) is None
        meta_before = con.execute("select stamp from derived_meta").fetchall()[0][0]
    # the next ingest rebuilds them for the ledgers as they are then
    extra = tmp_path / "decisions.csv"
    extra.write_text("decided_on,kind\n2025-01-02,resume\n", encoding="utf-8")
    results = ingest.ingest_paths([extra], db=db, after_load=derived.AFTER_LOAD)
    assert [r.outcome for r in results] == ["loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        meta = derived.current(con, p)
        assert meta is not None and meta["stamp"] != meta_before


def test_a_series_asked_beyond_the_stored_days_is_computed(demo_db):
    """A day after the latest ledger date is outside the stored series: the engine computes it, and
    every stored day keeps its values."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        derived.clear_cache()
        last = derived.latest_ledger_date(con)
        longer = ratio.npl_series(con, PROFILE, end=last + dt.timedelta(days=40))
        stored_days = ratio.npl_series(con, PROFILE)
    derived.clear_cache()
    assert longer["day"].iloc[-1] == last + dt.timedelta(days=40)
    pd.testing.assert_frame_equal(longer.iloc[: len(stored_days)].reset_index(drop=True),
                                  stored_days.reset_index(drop=True), check_exact=True)


def test_no_stored_tables_in_an_empty_store(tmp_path):
    db = tmp_path / "empty.duckdb"
    folder = Path(tmp_path / "in")
    folder.mkdir()
    (folder / "decisions.csv").write_text("decided_on,kind\n", encoding="utf-8")
    ingest.ingest_paths([folder], db=db, after_load=derived.AFTER_LOAD)
    with duckdb.connect(str(db), read_only=True) as con:
        meta = derived.current(con, runner.params(PROFILE))
        assert meta is not None and meta["series_start"] is None
        assert ratio.npl_series(con, PROFILE).empty


def _fingerprint(db) -> dict:
    """Row counts of every table but the audit log (the CLI records its runs there), and the stamp."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() where table_name <> 'audit_log' "
                                            "order by 1").fetchall()]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchall()[0][0] for t in tables}
        return {"tables": counts, "meta": con.execute("select stamp, params from derived_meta").fetchall()}


@pytest.mark.parametrize("error", ["io", "oom"])
def test_a_failed_refresh_refuses_the_whole_delivery(demo_db, tmp_path, monkeypatch, error):
    """The refresh runs in the load's transaction (issue 17): if it fails, nothing of the delivery
    stays — the file is refused with the reason in Chinese and English and the database (ledgers,
    batches, stored tables) is as before. Out of memory is raised instead, for the CLI's exit 4."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, db)
    before = _fingerprint(db)

    def broken(con, p):
        con.execute("create table derived_half_written as select 1 as x")
        if error == "oom":
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
        raise duckdb.IOException("IO Error: disk full")

    monkeypatch.setattr(derived, "build", broken)
    extra = tmp_path / "decisions.csv"
    extra.write_text("decided_on,kind\n2025-01-03,resume\n", encoding="utf-8")
    if error == "oom":
        with pytest.raises(duckdb.OutOfMemoryException):
            ingest.ingest_paths([extra], db=db, after_load=derived.AFTER_LOAD)
    else:
        results = ingest.ingest_paths([extra], db=db, after_load=derived.AFTER_LOAD)
        assert [(r.outcome, r.file_name, r.rows_loaded) for r in results] == [("refused", "decisions.csv", 0)]
        assert "更新预计算结果失败（IO Error: disk full）" in results[0].message_zh
        assert "the whole delivery was rolled back and the database is unchanged" in results[0].message_en
    assert _fingerprint(db) == before
    assert not (db.parent / "archive").exists()  # a refused file is not archived either
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from decisions where decided_on = date '2025-01-03'").fetchall() == [(0,)]
        assert derived.current(con, runner.params(PROFILE)) is not None  # the stored tables still serve
    derived.clear_cache()


def _built_at(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select epoch_us(built_at) from derived_meta").fetchall()[0][0]


def test_a_load_that_cannot_change_them_keeps_the_stored_tables(demo_db, tmp_path):
    """Collateral (or LPR) rows, and files whose rows are all unchanged, feed none of the stored
    tables: the load carries them over to the new stamp instead of rebuilding them (about 10 s at
    500k loans); a repayment does change them, and is rebuilt."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, db)
    p = runner.params(PROFILE)
    first = _built_at(db)

    collateral = tmp_path / "collateral.csv"
    collateral.write_text("loan_id,ip_type,ip_number,ip_expires_on,appraised_value\n"
                          "GZ2022062301,trademark,TM12345678,2034-01-01,100000.00\n", encoding="utf-8")
    assert [(r.outcome, r.kind, r.rows_loaded) for r in ingest.ingest_paths([collateral], db=db, after_load=derived.AFTER_LOAD)] == \
        [("loaded", "collateral", 1)]
    with duckdb.connect(str(db), read_only=True) as con:
        meta = derived.current(con, p)
        assert meta is not None and meta["stamp"] == derived.stamp(con)  # the new stamp (new batch)
    assert _built_at(db) == first  # not rebuilt

    # a new repayment changes flows and due status: rebuilt
    new = tmp_path / "new.csv"
    new.write_text("txn_id,loan_id,paid_on,principal_paid,interest_paid\n"
                   "T-NEW-1,JX2025030301,2025-12-31,100.00,0.00\n", encoding="utf-8")
    assert [(r.outcome, r.rows_loaded) for r in ingest.ingest_paths([new], db=db, after_load=derived.AFTER_LOAD)] == [("loaded", 1)]
    rebuilt = _built_at(db)
    assert rebuilt > first
    with duckdb.connect(str(db), read_only=True) as con:
        assert derived.current(con, p) is not None
        assert con.execute("select count(*) from derived_flows where loan_id = 'JX2025030301' "
                           "and paid_on = date '2025-12-31' and principal_paid = 100").fetchall() == [(1,)]

    # the same repayment sent again in another file: read, nothing written, nothing rebuilt
    same = tmp_path / "same.csv"
    same.write_text("loan_id,txn_id,paid_on,principal_paid,interest_paid\n"
                    "JX2025030301,T-NEW-1,2025-12-31,100.00,0.00\n", encoding="utf-8")
    assert [(r.outcome, r.rows_loaded, r.rows_unchanged) for r in ingest.ingest_paths([same], db=db, after_load=derived.AFTER_LOAD)] == \
        [("loaded", 0, 1)]
    assert _built_at(db) == rebuilt
    with duckdb.connect(str(db), read_only=True) as con:
        assert derived.current(con, p) is not None


def test_stale_stored_tables_are_not_carried_over(demo_db, tmp_path):
    """Tables that no longer matched before a collateral load (a row written outside ingest) are
    rebuilt by it rather than stamped as current."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("insert into decisions select decided_on + 2, kind, note, extras, batch_id from decisions limit 1")
    first = _built_at(db)
    collateral = tmp_path / "collateral.csv"
    collateral.write_text("loan_id,ip_type,ip_number,ip_expires_on,appraised_value\n"
                          "GZ2022062301,trademark,TM87654321,2034-01-01,100000.00\n", encoding="utf-8")
    assert [r.outcome for r in ingest.ingest_paths([collateral], db=db, after_load=derived.AFTER_LOAD)] == ["loaded"]
    assert _built_at(db) > first
    with duckdb.connect(str(db), read_only=True) as con:
        assert derived.current(con, runner.params(PROFILE)) is not None
