"""The audit log (R-SCOPE): rows for loan views, downloads and imports written by the dashboard
(AppTest), the bureau-only audit page with its filters, the spool that keeps rows while another
process holds the database lock, and the log being append-only."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines import audit, store, users
from tests.dashboard_fixtures import APP, private_copy, signed_in

ROOT = Path(__file__).resolve().parent.parent
BANK = "江西银行安义支行"


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    path = private_copy(demo_db, tmp_path / "audit.duckdb")
    monkeypatch.setenv("PLEDGEWATCH_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def app_rows(db, action):
    with store.read_connection(db) as con:
        return con.execute("select username, role, organisation, object, detail from audit_log "
                           "where source = 'app' and action = ? order by audit_id", [action]).fetchall()


def as_admin() -> AppTest:
    return signed_in(AppTest.from_file(str(APP), default_timeout=120), "admin", "bureau_admin")


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_loan_view_is_one_row_per_loan_shown(db):
    with store.read_connection(db) as con:
        first, second = [r[0] for r in con.execute("select loan_id from loans order by loan_id limit 2").fetchall()]
    at = ok(as_admin().run())
    at.query_params["loan"] = first  # the page follows ?loan=ID (a deep link, a drill-down, the picker)
    ok(at.switch_page("views/loan.py").run())
    assert at.selectbox(key="loan_pick").value == first
    ok(at.run())  # a rerun on the same loan does not repeat the row
    at.query_params["loan"] = second
    at.session_state["loan_pick"] = second
    ok(at.run())
    assert at.selectbox(key="loan_pick").value == second
    assert app_rows(db, "loan_view") == [("admin", "bureau_admin", None, first, None),
                                        ("admin", "bureau_admin", None, second, None)]


def test_a_download_names_the_report_and_its_date(db):
    at = ok(signed_in(AppTest.from_file(str(APP), default_timeout=120), "jx_bank", "bank", BANK).run())
    ok(at.switch_page("views/reports.py").run())
    day = at.session_state["as_of"]
    ok(at.download_button(key="dl_report_xlsx").click().run())
    ok(at.download_button(key="dl_loans_csv").click().run())
    assert app_rows(db, "download") == [
        ("jx_bank", "bank", BANK, "report_xlsx", f"as_of={day.isoformat()} scope=bank:{BANK}"),
        ("jx_bank", "bank", BANK, "loans_csv", f"as_of={day.isoformat()} scope=bank:{BANK}")]


def _deferred_download_page():
    import datetime as dt_

    import streamlit as st_

    from dashboard import auth as auth_

    build = auth_.audited(lambda: b"loan_id\n", "overdue_view_csv", dt_.date(2025, 12, 31))
    st_.download_button("csv", build, file_name="x.csv", on_click="ignore", key="deferred")
    st_.session_state["built"] = build  # for the test to call, as the browser's request would


def test_a_deferred_download_writes_its_row_when_the_file_is_built(db):
    from dashboard import auth, state

    at = signed_in(AppTest.from_function(_deferred_download_page), "jx_bank", "bank", BANK)
    at.session_state[state.KEY] = state.Ctx(db=str(db), profile="anyi", as_of=dt.date(2025, 12, 31), batch=1,
                                            lang="zh", has_loans=True, username="jx_bank", role="bank",
                                            organisation=BANK, scope=(("bank", BANK),))
    ok(at.run())
    assert app_rows(db, "download") == []  # drawing the button writes nothing
    assert at.session_state["built"]() == b"loan_id\n"   # the browser asks for the file (outside the script run)
    assert app_rows(db, "download") == [("jx_bank", "bank", BANK, "overdue_view_csv",
                                         f"as_of=2025-12-31 scope=bank:{BANK}")]
    assert auth.ACCOUNT_KEY in at.session_state


def test_an_import_records_file_sha256_and_batch(db_path, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_DB", str(db_path))
    with store.write_connection(db_path) as con:
        users.add(con, "admin", "bureau_admin")
    st.cache_data.clear()
    content = (ROOT / "data" / "demo" / "06_业务决定.csv").read_bytes()
    at = ok(as_admin().run())
    ok(at.switch_page("views/data_import.py").run())
    ok(at.get("file_uploader")[0].set_value(("06_业务决定.csv", content, "text/csv")).run())
    ok(at.button(key="confirm_load").click().run())
    with store.read_connection(db_path) as con:
        [(batch, sha, loaded)] = con.execute("select batch_id, sha256, rows_loaded from ingest_batches").fetchall()
    digest = hashlib.sha256(content).hexdigest()  # independently of both the page and the ingest journal
    assert sha == digest
    assert app_rows(db_path, "import") == [("admin", "bureau_admin", None, "06_业务决定.csv",
                                            f"sha256={digest} batch={batch} outcome=loaded rows_loaded={loaded} "
                                            "rows_rejected=0")]


def test_the_audit_page_lists_newest_first_and_filters(db):
    t0 = dt.datetime(2026, 4, 1, 9, 0)
    entries = [audit.Entry("sign_in", "jx_bank", "bank", BANK, "jx_bank", happened_at=t0),
               audit.Entry("loan_view", "jx_bank", "bank", BANK, "JX2024010101", happened_at=t0 + dt.timedelta(hours=1)),
               audit.Entry("sign_in", "analyst", "bureau_viewer", None, "analyst", happened_at=t0 + dt.timedelta(days=1)),
               audit.Entry("download", "analyst", "bureau_viewer", None, "report_xlsx", "as_of=2025-12-31 scope=all",
                           happened_at=t0 + dt.timedelta(days=2))]
    assert audit.write(db, entries) is True
    at = ok(as_admin().run())
    ok(at.switch_page("views/audit.py").run())
    shown = at.dataframe[0].value
    with store.read_connection(db) as con:  # every row (the demo accounts' user_add rows too), newest first
        everything = con.execute("select object from audit_log order by happened_at desc, audit_id desc").fetchall()
    assert list(shown["object"]) == [o for (o,) in everything]
    mine = shown[shown["happened_at"] < dt.datetime(2026, 4, 5)]
    assert list(mine["object"]) == ["report_xlsx", "analyst", "JX2024010101", "jx_bank"]
    assert list(mine["action"]) == ["下载", "登录", "查看借据", "登录"]
    ok(at.date_input(key="audit_from").set_value(dt.date(2026, 4, 1)).run())
    ok(at.date_input(key="audit_to").set_value(dt.date(2026, 4, 3)).run())
    assert list(at.dataframe[0].value["object"]) == ["report_xlsx", "analyst", "JX2024010101", "jx_bank"]
    ok(at.selectbox(key="audit_user").set_value("jx_bank").run())
    assert list(at.dataframe[0].value["object"]) == ["JX2024010101", "jx_bank"]
    ok(at.selectbox(key="audit_action").set_value("sign_in").run())
    assert list(at.dataframe[0].value["object"]) == ["jx_bank"]
    ok(at.selectbox(key="audit_user").set_value(None).run())
    ok(at.date_input(key="audit_from").set_value(dt.date(2026, 4, 2)).run())
    ok(at.date_input(key="audit_to").set_value(dt.date(2026, 4, 2)).run())
    assert list(at.dataframe[0].value["object"]) == ["analyst"]


def test_rows_filter_by_inclusive_days(db):
    t0 = dt.datetime(2026, 6, 30, 23, 59, 59)
    audit.write(db, [audit.Entry("sign_out", "a", happened_at=t0),
                     audit.Entry("sign_out", "a", happened_at=t0 + dt.timedelta(seconds=1)),
                     audit.Entry("sign_out", "a", happened_at=t0 + dt.timedelta(days=1)),  # 07-01 23:59:59: in
                     audit.Entry("sign_out", "a", happened_at=t0 + dt.timedelta(days=1, seconds=1))])  # 07-02: out
    with store.read_connection(db) as con:
        got = audit.rows(con, username="a", date_from=dt.date(2026, 6, 30), date_to=dt.date(2026, 7, 1))
    assert list(got["happened_at"]) == [t0 + dt.timedelta(days=1), t0 + dt.timedelta(seconds=1), t0]


HOLD = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])   # a write connection, as a long CLI ingest holds it
    print("holding", flush=True)
    sys.stdin.readline()
    con.close()
""")


def test_rows_wait_in_a_spool_while_another_process_holds_the_lock(db):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        first = audit.Entry("loan_view", "jx_bank", "bank", BANK, "JX1", happened_at=dt.datetime(2026, 7, 1, 8, 0))
        assert audit.write(db, first, timeout=0.2) is False
        spool = audit.spool_path(db)
        assert spool.exists() and (spool.stat().st_mode & 0o777) == 0o600
    finally:
        holder.communicate("\n", timeout=60)
    second = audit.Entry("sign_out", "jx_bank", "bank", BANK, "jx_bank", happened_at=dt.datetime(2026, 7, 1, 8, 5))
    assert audit.write(db, second) is True
    with store.read_connection(db) as con:
        rows = con.execute("select happened_at, action, object from audit_log where username = 'jx_bank' and source = 'app' "
                           "order by audit_id").fetchall()
    assert rows == [(dt.datetime(2026, 7, 1, 8, 0), "loan_view", "JX1"), (dt.datetime(2026, 7, 1, 8, 5), "sign_out",
                                                                          "jx_bank")]
    assert spool.read_text(encoding="utf-8") == ""


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError, match="unknown audit action 'delete_everything'"):
        audit.Entry("delete_everything")


def test_nothing_updates_or_deletes_audit_rows():
    # append-only (R-SCOPE): no statement in the project's SQL or Python changes or removes a row
    pattern = re.compile(r"(update\s+audit_log|delete\s+from\s+audit_log|truncate\s+audit_log|drop\s+table\s+"
                         r"(if\s+exists\s+)?audit_log)", re.I)
    offenders = []
    for folder in ("pipelines", "queries", "dashboard", "demo"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".sql", ".py") and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    assert pattern.search("DELETE FROM audit_log where 1")  # the pattern does catch one


def test_a_missing_database_is_never_created_by_the_log(tmp_path):
    target = tmp_path / "gone.duckdb"
    assert audit.write(target, audit.Entry("sign_out", "x")) is False
    assert not target.exists() and audit.spool_path(target).exists()
    os.remove(audit.spool_path(target))
