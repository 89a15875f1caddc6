"""The DuckDB file lock with real processes: a writer retries past a busy reader, and gives up with the
bilingual message and exit 3 when the lock is held longer than PLEDGEWATCH_LOCK_TIMEOUT."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stdnum.cn import uscc

from pipelines import store

ROOT = Path(__file__).resolve().parent.parent
LOANS = "借据号,企业名称,统一社会信用代码,贷款银行,质押方式,担保公司,评估机构,贷款金额,年利率,发放日期,到期日期,评估价值"

# Opens short read-only connections in a loop (like the dashboard) until the stop file appears.
READER = """
import sys, time
from pathlib import Path
from pipelines import store
db, stop = sys.argv[1], Path(sys.argv[2])
n = 0
while not stop.exists():
    with store.read_connection(db, timeout=60) as con:
        con.execute("select count(*) from loans").fetchall()
    n += 1
    if n == 1:
        print("ready", flush=True)
    time.sleep(0.02)
print(n, flush=True)
"""

# Holds a read-write connection (and so the file lock) until killed.
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(60)
"""


def loans_file(tmp_path) -> Path:
    base = "913601230000000" + "01"
    line = f"L1,企业1,{base + uscc.calc_check_digit(base)},安义农商行,直接质押,,评估所,1000000,0.0345,2024-03-01,2025-02-28,2000000"
    path = tmp_path / "loans.csv"
    path.write_text(LOANS + "\n" + line + "\n", encoding="utf-8")
    return path


def env(timeout: str) -> dict:
    return {**os.environ, "PLEDGEWATCH_LOCK_TIMEOUT": timeout, "PYTHONPATH": str(ROOT)}


def ingest_cli(db, path, timeout: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(db), str(path)],
                          cwd=ROOT, env=env(timeout), capture_output=True, text=True, timeout=120)


def test_writer_gets_through_a_polling_reader(db_path, tmp_path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db_path), str(stop)], cwd=ROOT, env=env("60"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        proc = ingest_cli(db_path, loans_file(tmp_path), "30")
        stop.touch()
        _, err = reader.communicate(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert proc.returncode == 0, proc.stderr
    assert reader.returncode == 0, err               # its read-only connections never gave up either
    with store.read_connection(db_path) as con:
        assert con.execute("select loan_id from loans").fetchall() == [("L1",)]


def test_writer_gives_up_with_exit_3_when_lock_is_held(db_path, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], cwd=ROOT, env=env("60"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        proc = ingest_cli(db_path, loans_file(tmp_path), "1")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "正被另一个进程占用" in proc.stderr and "is locked by another process" in proc.stderr
    with store.read_connection(db_path) as con:
        assert con.execute("select count(*) from ingest_batches").fetchall() == [(0,)]
