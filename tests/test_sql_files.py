"""Every SQL file in queries/sql runs against a small but complete database (Evidence-style:
any broken query fails CI), and every file carries the header the house rules ask for.

The files are run the way the application runs them — through the public functions of
each rule family module, queries.report and queries.portfolio — on a connection that records
each statement, so that a file no public function reaches is reported as well.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import pytest
from engine_fixtures import complete_ledger

from pipelines import profile as profile_mod
from queries import (
    alert60,
    classification,
    derived,
    dpd,
    halt,
    ingest_log,
    outlook,
    portfolio,
    ratio,
    report,
    runner,
    schedule,
)
from queries.runner import SQL_DIR

PROFILE = profile_mod.load("anyi")
AS_OF = "2024-09-30"
SQL_FILES = sorted(SQL_DIR.rglob("*.sql"))


class Recorder:
    """Wraps a DuckDB connection and remembers every statement sent through it."""

    def __init__(self, con):
        self._con = con
        self.seen: list[str] = []

    def execute(self, sql, *args, **kwargs):
        self.seen.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def sql(self, query, *args, **kwargs):
        self.seen.append(query)
        return self._con.sql(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


@pytest.fixture
def con(db_path):
    complete_ledger().write(db_path)
    import duckdb

    raw = duckdb.connect(str(db_path))
    raw.execute("insert into collateral (loan_id, ip_type, ip_number, ip_expires_on, appraised_value, batch_id) "
                "values ('K1', 'invention_patent', 'ZL201810000001.X', date '2035-01-01', 2000000, 1)")
    raw.execute("insert into ip_status (ip_number, status_on, status, fee_paid_until, batch_id) "
                "values ('ZL201810000001.X', date '2024-03-01', 'fee_paid', date '2024-10-15', 1)")
    raw.execute("insert into subsidies (loan_id, kind, amount, paid_on, batch_id) "
                "values ('K2', 'interest', 100.00, date '2024-09-01', 1)")
    raw.execute("insert into rejects (batch_id, file_name, sheet, row_number, column_name, raw_value, "
                "reason_zh, reason_en) values (1, 'loans.xlsx', 'loans', 7, 'principal', 'abc', '非数字', "
                "'not a number')")
    yield Recorder(raw)
    raw.close()


def run_everything(con) -> None:
    """Call every public query function once: every rule family, the report,
    portfolio and the ingest log."""
    derived.clear_cache()  # a cached intermediate result would skip its SQL file
    ratio.summary(con, AS_OF, PROFILE)
    dpd.loan_snapshot(con, AS_OF, PROFILE, scope={"bank": "BankA"})
    dpd.loan_state_at(con, pd.DataFrame({"loan_id": ["K1"], "at": [pd.Timestamp(AS_OF).date()]}), PROFILE)
    for by in ratio.BY_DIMENSIONS:
        ratio.breakdown(con, AS_OF, PROFILE, by)
    dpd.ageing(con, AS_OF, PROFILE)
    classification.classification(con, AS_OF, PROFILE)
    alert60.alerts(con, AS_OF, PROFILE)
    ratio.npl_series(con, PROFILE)
    ratio.npl_series(con, PROFILE, scope={"guarantor": "GuarA"})
    ratio.month_end_series(con, PROFILE)
    halt.halt_episodes(con, PROFILE)
    halt.resumes(con, PROFILE)
    halt.status_on(con, ["2024-04-30"], PROFILE)
    schedule.dues(con, "K1", PROFILE)
    schedule.cumulative(con, "K3", PROFILE)
    dpd.payments(con, "K3")
    dpd.loan_history(con, "K3", PROFILE)
    report.build_report(con, AS_OF, PROFILE)
    outlook.outlook(con, AS_OF, PROFILE, scope={"bank": "BankA"})
    outlook.roll(con, AS_OF, PROFILE, scope={"bank": "BankA"})
    from queries import bans, claims, compliance, renewals, subsidies

    portfolio.institutions(con)
    portfolio.disbursements_by_month(con, AS_OF)
    portfolio.disbursed_in_year(con, AS_OF)
    portfolio.mix(con, AS_OF, PROFILE)
    portfolio.filing_summary(con, "2024-01-01", "2024-12-31")
    ingest_log.ingest_history(con)
    ingest_log.batch_rejects(con, 1)
    ingest_log.latest_batch(con)
    portfolio.loan_ids(con)
    portfolio.loan_index(con)
    dpd.closure(con, "JX2023071501", AS_OF, PROFILE)
    ingest_log.batch_of_file(con, "0" * 64)
    portfolio.loan_terms(con, "K1")
    portfolio.loan_collateral(con, "K1")
    portfolio.loan_events(con, "K3")
    from queries import collateral  # R-IPSTAT, R-COVER (report.build_report above reads them too)

    collateral.ip_watch(con, AS_OF, PROFILE, scope={"bank": "BankA"})
    collateral.coverage(con, AS_OF, PROFILE)
    collateral.fee_calendar(con, AS_OF, PROFILE)
    collateral.totals(con, AS_OF, PROFILE)
    collateral.status_history(con, "K1")
    # this fixture is written outside ingest: the engine never reads stored tables above; build them
    # last, then read them back as a reader does
    derived.build(con, runner.params(PROFILE))
    derived.restamp(con, derived.stamp(con))
    assert derived.current(con, runner.params(PROFILE)) is not None
    # the incremental refresh of the loans written by batch 1 (core/affected_loans.sql …)
    assert derived.refresh_loans(con, runner.params(PROFILE), [1], derived.stamp(con))
    assert derived.current(con, runner.params(PROFILE)) is not None

    from queries import alert_delivery, alerts, freshness  # R-FRESH, R-NOTIFY

    freshness.files(con, AS_OF, PROFILE)
    con.execute("insert into users (username, role, organisation, email, created_at, updated_at) values "
                "('b', 'bank', 'BankA', 'b@x.cn', timestamp '2000-01-01', timestamp '2000-01-01')")
    state = alerts._state(con, None)
    new, still_open = alerts.evaluate(con, runner.as_date(AS_OF), runner.as_date(AS_OF), PROFILE, None, state)
    run_id = alerts.record(con, runner.as_date(AS_OF), None, new, still_open, pd.Timestamp.now().to_pydatetime())
    alerts.announce(con, runner.as_date(AS_OF), new)
    alerts._state(con, runner.as_date(AS_OF))
    import socket

    with socket.socket() as closed:  # a port nobody listens on: the attempt fails and is recorded
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    alert_delivery.deliver(con, run_id, PROFILE, pd.Timestamp.now().to_pydatetime(),
                           {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"})
    alert_delivery.filing_xlsx(con, "BankA", "2024-08")
    runner.execute(con, "alerts/finish_run", {"run_id": run_id, "finished_at": None, "deliveries": 0, "failures": 0})
    alerts.acknowledge_on(con, "b", new[0]["kind"], new[0]["key"])
    alerts.inbox(con, "b", "bank", "BankA")
    for module in (claims, bans, renewals, compliance, subsidies):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:3] == ["con", "as_of", "profile"]:
                fn(con, AS_OF, PROFILE)
            elif params in (["con"], ["con", "scope"]):  # scope: R-SCOPE, optional
                fn(con)


def test_every_sql_file_runs(con):
    run_everything(con)
    import duckdb

    from pipelines import store

    empty = duckdb.connect()  # an empty store: statuses before any history (halt/status_no_history.sql)
    store.init_schema(empty)
    recorder = Recorder(empty)
    assert list(halt.status_on(recorder, ["2024-04-30"], PROFILE)["status"]) == ["normal"]
    con.seen += recorder.seen
    executed = "\n".join(con.seen)
    never_run = [str(f.relative_to(SQL_DIR)) for f in SQL_FILES if f.read_text(encoding="utf-8").strip() not in executed]
    assert never_run == []


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(SQL_DIR)))
def test_sql_file_header_and_shape(path: Path):
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("--")]
    assert header and text.startswith("--"), "a header comment says what one row means"
    body = re.sub(r"--[^\n]*", "", text)
    if path.name != "macros.sql":  # the one file of definitions, not a query
        assert "select * from final" in body, "jaffle-shop shape: ends with select * from final"
    assert "{" not in body, "values are bound ($name), never formatted into SQL"
