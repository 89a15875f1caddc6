"""The benchmark at small N, so that it never rots (no timing assertions: figures only have to exist),
and its pandas peer checked against hand-computed R-SCHED dues."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import bench_pandas
import pandas as pd

from pipelines import profile

BENCH = Path(__file__).resolve().parent / "benchmark.py"
KEYS = ("ingest_ratio", "asof_ratio", "asof_s", "series_s", "overview_s", "pandas_ratio", "peak_rss_mb", "loans")


def test_benchmark_runs_end_to_end_and_pandas_agrees_with_engine(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--loans", "2000", "--repeat", "1", "--json", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in KEYS:
        assert isinstance(out[key], (int, float)), key
    assert out["loans"] == 2000
    assert out["db_rows"]["loans"] == 2000  # every generated loan was ingested
    # every ingest rebuilt the stored intermediates, and that is part of the ingest time
    assert len(out["times"]["ingest"]) == out["repeat"] and 0 < out["ingest_store_s"] < out["ingest_s"]
    assert 0 < out["ingest_load_ratio"] < out["ingest_ratio"]
    # The same as-of figures from two independent implementations: balances to the fen, ratio to 1e-12.
    assert Decimal(out["active_balance_engine"]) > 0  # a vacuous 0 == 0 would prove nothing
    assert Decimal(out["overdue_balance_engine"]) > 0
    assert out["active_balance_engine"] == out["active_balance_pandas"]
    assert out["overdue_balance_engine"] == out["overdue_balance_pandas"]
    assert abs(Decimal(out["npl_ratio_engine"]) - Decimal(out["npl_ratio_pandas"])) <= Decimal("1e-12")
    assert out["ratios_equal"] is True
    assert set(out["rss_mb"]) >= {"ingest", "asof", "series", "overview", "pandas"}
    assert not (tmp_path / "bench.duckdb").exists()  # databases cleaned up


def test_peer_standard_dues_clip_to_month_end_and_round_half_up():
    loans = pd.DataFrame({
        "loan_id": ["A"], "principal": [1_000_000.00], "annual_rate": [0.0365],
        "disbursed_on": pd.to_datetime(["2024-01-31"]), "matures_on": pd.to_datetime(["2024-04-30"]),
    })
    dues = bench_pandas.standard_dues(loans)
    assert list(dues["due_on"].astype(str)) == ["2024-02-29", "2024-03-31", "2024-04-30"]
    # 1,000,000 x 0.0365 = 36,500 a year; x days / 360:
    #   29 d: 1,058,500 / 360 = 2940.277… -> 2940.28;  31 d: 1,131,500 / 360 = 3143.055… -> 3143.06;
    #   30 d: 1,095,000 / 360 = 3041.666… -> 3041.67 (in fen below)
    assert list(dues["interest_due"]) == [294028, 314306, 304167]
    assert list(dues["principal_due"]) == [0, 0, 100_000_000]


def test_peer_npl_counts_overdue_from_day_after_due_with_tolerance():
    p = profile.load("anyi")
    frames = {
        "loans": pd.DataFrame({
            "loan_id": ["A", "B"], "principal": [1_000_000.00, 3_000_000.00], "annual_rate": [0.0365, 0.0365],
            "disbursed_on": pd.to_datetime(["2024-01-31", "2024-01-31"]),
            "matures_on": pd.to_datetime(["2024-04-30", "2024-04-30"]),
        }),
        "schedule": pd.DataFrame({"loan_id": pd.Series([], dtype=str), "due_on": pd.to_datetime([]),
                                  "principal_due": [], "interest_due": []}),
        # A pays the first interest 0.01 short (tolerated, R-DPD); B pays it 0.02 short (late)
        "repayments": pd.DataFrame({
            "loan_id": ["A", "B"], "paid_on": pd.to_datetime(["2024-02-29", "2024-02-29"]),
            "principal_paid": [0.0, 0.0], "interest_paid": [2940.27, 8820.81],
        }),
        "events": pd.DataFrame({"loan_id": pd.Series([], dtype=str), "event_on": pd.to_datetime([]),
                                "kind": pd.Series([], dtype=str), "amount": []}),
    }
    # B's first interest: 3,000,000 x 0.0365 x 29 / 360 = 8820.833… -> 8820.83; paid 8820.81 (0.02 short)
    on_due_day = bench_pandas.npl_from_frames(frames, dt.date(2024, 2, 29), p)
    assert on_due_day == (Decimal("4000000"), Decimal("0"), 2, 0)  # not late on its own due date
    next_day = bench_pandas.npl_from_frames(frames, dt.date(2024, 3, 1), p)
    assert next_day == (Decimal("4000000"), Decimal("3000000"), 2, 1)  # B whole balance overdue; ratio 0.75
