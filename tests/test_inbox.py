"""The inbox page (AppTest of dashboard/views/inbox.py, R-NOTIFY): the events the alert job stored
and announced, scoped per role (R-SCOPE), newest first, filtered by kind, acknowledged (who,
when); the bureau's freshness table (R-FRESH)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from alert_fixtures import ACCOUNTS, Expected, add_accounts, copy_demo
from streamlit.testing.v1 import AppTest

from dashboard import state
from pipelines import store
from queries import alerts, freshness, runner

PAGE = Path(__file__).resolve().parent.parent / "dashboard" / "views" / "inbox.py"
FIRST, LAST = dt.date(2024, 3, 8), dt.date(2024, 3, 22)


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture(scope="module")
def job(demo_db, prof, tmp_path_factory):
    """The alert job run day by day from FIRST to LAST (s2's 60-day alert 03-10, the breach 03-21)."""
    db = copy_demo(demo_db, tmp_path_factory.mktemp("inbox"))
    add_accounts(db, None)
    printed = collections_of(alerts.run(db, FIRST + dt.timedelta(days=n), prof)
                             for n in range((LAST - FIRST).days + 1))
    with store.read_connection(db) as con:
        stored = con.execute("select key, event_on from alert_events").fetchall()
        expected = Expected(con, prof)
    return {"db": db, "printed": printed, "stored": dict(stored), "expected": expected}


def collections_of(runs) -> dict[str, set[str]]:
    """username -> the keys the job announced to it (the printed recipients)."""
    out: dict = {name: set() for name in ACCOUNTS}
    for r in runs:
        for e in r["events"]:
            for name in e["recipients"]:
                out[name].add(e["key"])
    return out


def page(db: Path, username: str) -> AppTest:
    role, org = ACCOUNTS[username][:2]
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    scope = runner.scope_for(role, org)
    with store.read_connection(db) as con:
        batch = int(con.execute("select max(batch_id) from ingest_batches").fetchall()[0][0])
    at.session_state[state.KEY] = state.Ctx(db=str(db), profile="anyi", as_of=LAST, batch=batch, lang="zh",
                                            has_loans=True, username=username, role=role, organisation=org,
                                            scope=tuple(sorted((scope or {}).items())))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def events_shown(at: AppTest):
    frames = [d.value for d in at.dataframe if "event_key" in d.value.columns]
    return list(frames[0]["event_key"]) if frames else []


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_inbox_shows_the_jobs_events_scoped_per_role(job, username):
    shown = events_shown(page(job["db"], username))
    exp = job["expected"]
    assert set(shown) == job["printed"][username]
    assert set(shown) == {k for k in job["stored"] if exp.receives(username, k)}
    # newest first
    assert [job["stored"][k] for k in shown] == sorted((job["stored"][k] for k in shown), reverse=True)
    assert len(shown) == len(set(shown)) > 0


def test_a_bank_sees_only_its_loans_and_the_program_status(job):
    shown = events_shown(page(job["db"], "zh"))
    loans = job["expected"].loans
    assert "status_changed:2024-03-21:halted" in shown
    assert "alert60:JJ2023081001:2024-03-10" not in shown  # 九江's loan
    for key in shown:
        kind, rest = key.split(":", 1)
        if kind not in ("status_changed", "filing_pack", "stale_bank"):
            assert loans[rest.split(":")[0]][0] == ACCOUNTS["zh"][1], key


def test_filter_by_kind(job):
    at = page(job["db"], "bureau")
    at.selectbox(key="inbox_kind").set_value("alert60").run()
    assert events_shown(at) == ["alert60:JJ2023081001:2024-03-10"]
    assert at.selectbox(key="inbox_kind").format_func("alert60") == "逾期60天预警"


def test_acknowledge_records_who_and_when(job):
    at = page(job["db"], "jx")
    count = int(next(m.value for m in at.metric if m.label == "未确认"))
    assert count == len(job["printed"]["jx"])
    with store.read_connection(job["db"]) as con:
        newest = alerts.inbox(con, "jx", "bank", ACCOUNTS["jx"][1])[0]
    code = f"{newest['kind']}|{newest['key']}"
    # the picker offers the newest open event first, shown by its kind's label and its key
    assert at.multiselect(key="inbox_pick").options[0].endswith(f" · {newest['key']}")
    at.multiselect(key="inbox_pick").set_value([code])
    at.button[0].click().run()
    assert not at.exception
    after = page(job["db"], "jx")
    assert int(next(m.value for m in after.metric if m.label == "未确认")) == count - 1
    with store.read_connection(job["db"]) as con:
        acks = con.execute("select username, kind || '|' || key, acked_at from alert_acks").fetchall()
    assert [a[:2] for a in acks] == [("jx", code)] and acks[0][2].date() == dt.date.today()
    # someone else's inbox is untouched: the bureau still has every one open
    bureau = page(job["db"], "bureau")
    assert int(next(m.value for m in bureau.metric if m.label == "未确认")) == len(job["printed"]["bureau"])


def test_bureau_sees_the_freshness_table(job):
    at = page(job["db"], "bureau")
    frames = [d.value for d in at.dataframe if "missing_months" in d.value.columns]
    assert frames and len(frames[0]) == 6  # the six demo banks, each with active loans in March 2024
    bank = page(job["db"], "jx")
    frames = [d.value for d in bank.dataframe if "missing_months" in d.value.columns]
    assert list(frames[0]["bank"]) == [ACCOUNTS["jx"][1]]


def test_overview_names_stale_banks_beside_the_ratio(app, demo_db, prof):
    """R-FRESH on the overview: on 2026-02-06, 37–42 days after the demo's last records, every bank
    is stale (tests/test_r_notify.py's gap test works out the days); on the ledger end none is."""
    day = dt.date(2026, 2, 6)
    with store.read_connection(demo_db) as con:
        stale = list(freshness.stale_banks(con, day, prof)["bank"])
    assert len(stale) == 6
    at = app.run()
    at.switch_page("views/overview.py").run()
    assert not [w for w in at.warning if "数据未按时更新" in w.value]
    at.sidebar.date_input(key="as_of").set_value(day).run()
    assert not at.exception, [e.message for e in at.exception]
    (warning,) = [w.value for w in at.warning if "数据未按时更新" in w.value]
    assert all(bank in warning for bank in stale)
