"""AppTest of every dashboard page against the demo database: the values shown equal the engine's.

One demo database per session (tests/dashboard_fixtures.py, built through the real ingestion
pipeline); Streamlit caches are cleared before each test because they outlive AppTest instances.
Each page's first render (cold cache) is timed and printed — no timing assertion (house rule).
"""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines import store
from queries import (
    alert60,
    bans,
    claims,
    compliance,
    dpd,
    halt,
    outlook,
    ratio,
    renewals,
    report,
    schedule,
    subsidies,
)
from tests.dashboard_fixtures import APP, as_new_admin, pct_text, unlink, wan_text

TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def fresh_caches():
    """Streamlit caches outlive AppTest instances: start this module cold (so the first render of
    each page is timed without cached data) and leave nothing behind for other modules. Within the
    module every test reads the same demo database, whose cache keys (path, profile, as-of, batch)
    cannot collide with another database's."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()



def render(at: AppTest, page: str | None = None) -> AppTest:
    """Run the app (then switch to ``page``), time the page's render, fail on any exception."""
    if page is None:
        start = time.perf_counter()
        at.run()
        name = "overview"
    else:
        if not at._tree:  # noqa: SLF001 - switch_page needs one run first
            at.run()
        at.switch_page(page)
        start = time.perf_counter()
        at.run()
        name = page.split("/")[-1].removesuffix(".py")
    elapsed = time.perf_counter() - start
    TIMINGS.setdefault(name, elapsed)
    print(f"\n[render] {name}: {elapsed:.2f} s")
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0]


# Read-only st.dataframe elements carry no key in AppTest: find those by the columns they show.
TABLE_COLUMNS = {
    "dues_table": {"due_on", "principal_due", "interest_due"},
    "ip_table": {"ip_type", "ip_number", "expires_before_maturity"},
    "chain_table": {"position", "loan_id", "disbursed_on"},
    "claims_table": {"loan_id", "deadline", "expected_guarantor"},
    "bans_table": {"credit_code", "ban_until", "loan_ids"},
    "rules_table": {"rule", "description", "loans", "rows"},
    "exceptions_table": {"loan_id", "item", "actual_value", "limit_value"},
    "sub_year": {"year", "eligible", "paid"},
    "filing_table": {"enterprise_name", "credit_code", "ip_numbers"},
    "batches_table": {"batch_id", "file_name", "rows_read"},
    "breach_table": {"breach_rank", "loan_id", "next_due_on"},
    "wall_table": {"bank", "principal_current", "principal_late"},
    "hhi_table": {"dimension", "hhi", "top_share"},
}


def dataframe(at: AppTest, key: str):
    found = [d for d in at.dataframe if d.key == key]
    if not found and key in TABLE_COLUMNS:
        found = [d for d in at.dataframe if TABLE_COLUMNS[key] <= set(d.value.columns)]
    assert found, f"no dataframe {key!r} among {[list(d.value.columns)[:4] for d in at.dataframe]}"
    return unlink(found[0].value)




# ---------------------------------------------------------------- overview

def test_overview_metrics_equal_the_report(app, demo_db, prof, as_of):
    at = render(app)
    with store.read_connection(demo_db) as con:
        rep = report.build_report(con, as_of, prof)
        head = ratio.summary(con, as_of, prof)
        alerts = alert60.alerts(con, as_of, prof)
        year_rows = con.execute(
            "select count(*), coalesce(sum(principal), 0) from loans where disbursed_on between ? and ?",
            [date(as_of.year, 1, 1), as_of]).fetchall()[0]
    assert at.sidebar.date_input(key="as_of").value == as_of  # default: the latest ledger date
    assert metric(at, "不良率").value == pct_text(rep["npl_ratio"])
    # change since the last month end, in percentage points of the same exact ratios
    delta = pct_text(head["npl_ratio"] - head["npl_ratio_prev_month_end"])
    # percentage points, not a percentage (issue 12 defect 10)
    assert metric(at, "不良率").delta == f"较上月末 {'' if delta.startswith('-') else '+'}{delta[:-1]} 个百分点"
    assert metric(at, "在贷余额（万元）").value == wan_text(rep["active_balance"])
    assert metric(at, "在贷笔数").value == f"{sum(1 for _ in rep['loans']):,}"
    assert metric(at, "逾期贷款余额（万元）").value == wan_text(rep["overdue_balance"])
    assert metric(at, "距暂停线余量（万元）").value == wan_text(rep["headroom"])
    assert metric(at, "逾期60天预警").value == str(len(alerts)) == str(len(rep["alerts_60d"]))
    assert metric(at, "本年放款（万元）").value == wan_text(year_rows[1])
    status = {"normal": "正常", "warning": "预警", "halted": "暂停新业务"}[rep["status"]]
    assert any(status in m.value for m in at.markdown), "status badge missing"


def test_overview_chart_is_fed_by_the_daily_series(app, demo_db, prof, as_of):
    at = render(app)
    with store.read_connection(demo_db) as con:
        series = ratio.npl_series(con, prof, end=as_of)
        episodes = halt.halt_episodes(con, prof, end=as_of)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    npl = next(c for c in charts if c["layout"]["title"]["text"] == "不良率走势（每日）")
    assert len(npl["data"][0]["x"]) == len(series)  # every day of the history, not month ends
    lines = sorted(s["y0"] for s in npl["layout"]["shapes"] if s.get("type") == "line")
    assert lines == [4.0, 5.0]  # warning 4 %, halt 5 % (anyi profile)
    rects = [s for s in npl["layout"]["shapes"] if s.get("type") == "rect"]
    assert len(rects) == len(episodes) >= 1  # the demo story has a halt


def test_switching_to_english_changes_labels_and_units(app, demo_db, prof, as_of):
    at = render(app)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    labels = {m.label for m in at.metric}
    assert {"Active balance (10k CNY)", "NPL ratio", "Headroom to halt (10k CNY)"} <= labels
    assert "在贷余额（万元）" not in labels
    assert at.title[0].value == "Overview"
    with store.read_connection(demo_db) as con:
        head = ratio.summary(con, as_of, prof)
    assert metric(at, "Active balance (10k CNY)").value == wan_text(head["active_balance"])


# ---------------------------------------------------------------- overdue and loan detail

def test_overdue_table_lists_exactly_the_engines_overdue_loans(app, demo_db, prof, as_of):
    at = render(app, "views/overdue.py")
    with store.read_connection(demo_db) as con:
        snap = dpd.loan_snapshot(con, as_of, prof)
    expected = sorted(snap.loc[snap["overdue"], "loan_id"])
    table = dataframe(at, "overdue_table")
    assert sorted(table["loan_id"]) == expected and expected
    shown = dict(zip(table["loan_id"], table["dpd"], strict=True))
    assert shown == {r.loan_id: r.dpd for r in snap[snap["overdue"]].itertuples()}


def test_overdue_bank_filter_uses_the_engine_scope(app, demo_db, prof, as_of):
    at = render(app, "views/overdue.py")
    with store.read_connection(demo_db) as con:
        snap = dpd.loan_snapshot(con, as_of, prof)
        bank = snap.loc[snap["overdue"], "bank"].iloc[0]
        scoped = dpd.loan_snapshot(con, as_of, prof, {"bank": bank})
    at.selectbox(key="od_bank").set_value(bank).run()
    assert not at.exception
    assert sorted(dataframe(at, "overdue_table")["loan_id"]) == sorted(scoped.loc[scoped["overdue"], "loan_id"])


def test_open_detail_from_overdue_shows_that_loan(app, demo_db, prof, as_of):
    at = render(app, "views/overdue.py")
    first = dataframe(at, "overdue_table")["loan_id"].iloc[0]
    at.selectbox(key="od_pick").set_value(first)
    at.button(key="od_open").click().run()
    assert not at.exception
    assert at.selectbox(key="loan_pick").value == first
    with store.read_connection(demo_db) as con:
        state = dpd.loan_snapshot(con, as_of, prof).set_index("loan_id").loc[first]
        dues = schedule.dues(con, first, prof)
    assert metric(at, "逾期天数").value == f"{int(state['dpd'])} 天"
    assert metric(at, "贷款余额（万元）").value == wan_text(state["outstanding"])
    assert len(dataframe(at, "dues_table")) == len(dues)


def test_loan_detail_page_shows_terms_ip_and_chain(app, demo_db, prof, as_of):
    with store.read_connection(demo_db) as con:
        chains = renewals.renewal_chains(con)
    renewed = chains.loc[chains["chain_length"] > 1].sort_values(["chain_id", "position"])
    loan_id = renewed["loan_id"].iloc[-1]
    app.run()
    app.query_params["loan"] = loan_id  # a drill-down or shared link: ?loan=ID
    at = render(app, "views/loan.py")
    assert at.selectbox(key="loan_pick").value == loan_id
    chain = dataframe(at, "chain_table")
    assert list(chain["loan_id"]) == list(renewed.loc[renewed["chain_id"] == renewed["chain_id"].iloc[-1],
                                                      "loan_id"])
    with store.read_connection(demo_db) as con:
        n_ip = con.execute("select count(*) from collateral where loan_id = ?", [loan_id]).fetchall()[0][0]
    assert len(dataframe(at, "ip_table")) == n_ip


# ---------------------------------------------------------------- compensation, compliance, subsidies

def test_compensation_page_counts_claims_by_status(app, demo_db, prof, as_of):
    at = render(app, "views/compensation.py")
    with store.read_connection(demo_db) as con:
        claim_rows = claims.claims(con, as_of, prof)
        ban_rows = bans.bans(con, as_of, prof)
    for status, label in (("pending", "待代偿"), ("late", "逾期未代偿"), ("settled", "已代偿")):
        assert metric(at, label).value == str(int((claim_rows["status"] == status).sum()))
    assert sorted(dataframe(at, "claims_table")["loan_id"]) == sorted(claim_rows["loan_id"])
    assert len(dataframe(at, "bans_table")) == len(ban_rows)


def test_late_claims_are_red_in_words(app, demo_db, prof, as_of):
    """A claim past its deadline says so in words ('逾期 39 天', never '−39') and its status and days
    cells are red (the table's Styler); a claim not late has neither."""
    at = render(app, "views/compensation.py")
    with store.read_connection(demo_db) as con:
        claim_rows = claims.claims(con, as_of, prof)
    late = claim_rows[claim_rows["status"] == "late"]
    assert len(late) == 1  # the demo's GZ2025032501, 39 days past its 2025-11-22 deadline
    days_late = (as_of - late["deadline"].iloc[0]).days
    assert days_late == 39 and int(late["days_left"].iloc[0]) == -days_late
    grid = next(d for d in at.dataframe if {"status", "days_left", "deadline"} <= set(d.value.columns))
    shown = unlink(grid.value)
    row = shown.index[shown["loan_id"] == late["loan_id"].iloc[0]][0]
    assert shown.loc[row, "days_left"] == "逾期 39 天" and shown.loc[row, "status"] == "逾期未代偿"
    # one CSS rule (the Styler merges equal styles): that row's status (column 2) and days (3) cells
    selectors, rule = grid.proto.arrow_data.styler.styles.split("{")
    cells = {c.strip().split("_", 2)[2] for c in selectors.split(",")}
    pos = list(shown.index).index(row)
    assert cells == {f"row{pos}_col2", f"row{pos}_col3"} and "#c62828" in rule


def test_late_cells_and_their_bound(monkeypatch):
    """late_cells flags days below zero and the claim code 'late' (whatever the column's name);
    a table longer than LATE_MAX_ROWS keeps its words but gets no Styler (pandas caps its cells)."""
    import pandas as pd

    from dashboard import fmt

    frame = pd.DataFrame({"days_left": [-39, 0, 12, None], "claim_status": ["late", "pending", None, "late"],
                          "status": ["late", "late", "late", "late"]})
    assert fmt.late_cells(frame, ["days_left", "claim_status", "status"], {"claim_status": "claim_status"}) == {
        "days_left": [True, False, False, False], "claim_status": [True, False, False, True]}
    assert fmt.late_cells(frame.iloc[1:3], ["days_left"]) == {}  # nothing late: no Styler at all
    seen = []
    monkeypatch.setattr(fmt.st, "dataframe", lambda data, **_: seen.append(type(data).__name__))
    fmt.table(frame, late={"days_left": [True, False, False, False]})
    long = pd.DataFrame({"days_left": [-1] * (fmt.LATE_MAX_ROWS + 1)})
    fmt.table(long, late={"days_left": [True] * len(long)})
    assert seen == ["Styler", "DataFrame"]


def test_audit_sources_are_words(app):
    """An audit row's source code is shown in words: app 网页, oidc 统一身份认证, cli:<user> 命令行（<user>）."""
    from dashboard import fmt

    render(app, "views/audit.py")  # a run, so the language is the page's (Chinese)
    assert [fmt.audit_source(v) for v in ("app", "oidc", "cli:root", "test", None)] == [
        "网页", "统一身份认证", "命令行（root）", "test", "—"]
    shown = [d for d in app.dataframe if "来源" in list(d.value.columns) or "source" in list(d.value.columns)]
    assert shown and "app" not in set(shown[0].value.iloc[:, -1])


def test_compliance_page_counts_each_rule(app, demo_db, prof, as_of):
    at = render(app, "views/compliance.py")
    with store.read_connection(demo_db) as con:
        exc = compliance.exceptions(con, as_of, prof)
    assert metric(at, "违规记录").value == str(len(exc))
    assert metric(at, "涉及借据").value == str(exc["loan_id"].nunique())
    rules = dataframe(at, "rules_table").set_index("rule")
    for rule in compliance.RULES:
        assert rules.loc[rule, "loans"] == exc.loc[exc["rule"] == rule, "loan_id"].nunique()
    picked = at.selectbox(key="rule_pick").value
    assert sorted(dataframe(at, "exceptions_table")["loan_id"]) == sorted(exc.loc[exc["rule"] == picked, "loan_id"])


def test_subsidies_page_totals_equal_the_comparison(app, demo_db, prof, as_of):
    at = render(app, "views/subsidies.py")
    with store.read_connection(demo_db) as con:
        comp = subsidies.comparison(con, as_of, prof)
    eligible = sum((Decimal(v) for v in comp["eligible"] if v is not None), Decimal(0))
    paid = sum((Decimal(v) for v in comp["paid"] if v is not None), Decimal(0))
    assert metric(at, "测算应补贴（万元）").value == wan_text(eligible)
    assert metric(at, "已发放（万元）").value == wan_text(paid)
    by_year = dataframe(at, "sub_year")
    assert len(by_year) == comp["year"].nunique()
    if not comp["confirmed"].all():
        assert any("未确认" in w.value for w in at.warning)


# ---------------------------------------------------------------- reports and import

def test_reports_page_downloads_equal_the_report_cli(app, demo_db, prof, as_of, tmp_path):
    from dashboard import data

    at = render(app, "views/reports.py")
    with store.read_connection(demo_db) as con:
        rep = report.build_report(con, as_of, prof)
    assert metric(at, "不良率").value == pct_text(rep["npl_ratio"])
    # the download buttons expose no bytes (STYLE.md): test the function that builds them
    files = data.report_files(str(demo_db), "anyi", as_of, 1)
    assert report.main(["--db", str(demo_db), "--as-of", as_of.isoformat(), "--format", "csv",
                        "--out", str(tmp_path / "cli")]) == 0
    for section, content in files["csv"].items():
        assert content == (tmp_path / "cli" / f"{section}.csv").read_bytes(), section
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    # the filing summary lists exactly the loans disbursed in the month
    month = as_of.replace(day=1)
    filing = dataframe(at, "filing_table")
    with store.read_connection(demo_db) as con:
        ids = [r[0] for r in con.execute("select loan_id from loans where disbursed_on between ? and ? "
                                         "order by loan_id", [month, as_of]).fetchall()]
    assert sorted(filing["loan_id"]) == ids


def test_filing_xlsx_has_wan_amounts_and_frozen_header(demo_db, as_of):
    import io

    import openpyxl

    from dashboard import data, exports

    month = as_of.replace(day=1)
    filing = data.filing_summary(str(demo_db), 1, month, as_of)
    assert len(filing) > 0
    wb = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes({"filing": (filing, exports.FILING_COLUMNS)})))
    ws = wb["filing"]
    assert ws.freeze_panes == "A3"
    assert ws.cell(1, 5).value == "贷款金额（万元）" and ws.cell(2, 5).value.endswith("(10k CNY)")
    assert ws.cell(1, 1).font.bold
    # principal in 万元 exactly: yuan / 10,000 (e.g. 5,000,000.00 yuan -> 500)
    assert Decimal(str(ws.cell(3, 5).value)) == filing["principal"].iloc[0] / Decimal(10000)
    assert ws.cell(3, 5).number_format == "#,##0.00"
    assert [ws.cell(3, c).value for c in (1, 2, 4)] == [filing[k].iloc[0] for k in ("enterprise_name",
                                                                                    "credit_code", "loan_id")]


def test_import_page_previews_then_loads(db_path, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_DB", str(db_path))
    st.cache_data.clear()
    at = as_new_admin(AppTest.from_file(str(APP), default_timeout=120), db_path)
    at.run()
    start = time.perf_counter()
    at.switch_page("views/data_import.py").run()
    TIMINGS.setdefault("data_import (empty db)", time.perf_counter() - start)
    content = (APP.parent.parent / "data" / "demo" / "06_业务决定.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("06_业务决定.csv", content, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("业务决定" in i.value for i in at.info)
    at.button(key="confirm_load").click().run()
    assert not at.exception
    assert at.success, "no load message"
    with store.read_connection(db_path) as con:
        batches = con.execute("select file_name, rows_loaded from ingest_batches").fetchall()
        decisions = con.execute("select count(*) from decisions").fetchall()[0][0]
    assert batches == [("06_业务决定.csv", decisions)] and decisions > 0
    history = dataframe(at, "batches_table")
    assert list(history["file_name"]) == ["06_业务决定.csv"]




def test_import_preview_names_an_unknown_column_that_may_be_the_missing_party(db_path, monkeypatch):
    # issue 11 item 11: the preview says, before anything is written, which unknown column may be the party
    monkeypatch.setenv("PLEDGEWATCH_DB", str(db_path))
    st.cache_data.clear()
    at = as_new_admin(AppTest.from_file(str(APP), default_timeout=120), db_path)
    at.run()
    at.switch_page("views/data_import.py").run()
    content = "借据号,日期,事件类型,付款单位,金额\nL1,2024-06-20,代偿,担保公司,700000\n".encode()
    at.get("file_uploader")[0].set_value(("events.csv", content, "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert [w.value for w in at.warning] == [
        "第 4 列“付款单位”不是可识别的表头，但其值都是承担方的有效值（担保公司、评估机构、银行），"
        "可能就是承担方（party）列；如是，请把表头改为“承担方”"]

def test_language_survives_switch_page(app):
    # st.switch_page from the overdue page once dropped the sidebar's language (app.py keeps it)
    at = render(app)
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("views/overdue.py").run()
    assert at.title[0].value == "Overdue"
    at.selectbox(key="od_pick").set_value(at.selectbox(key="od_pick").options[0] and
                                          dataframe(at, "overdue_table")["loan_id"].iloc[0])
    at.button(key="od_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Loan detail"


# ---------------------------------------------------------------- outlook

def outlook_days(days) -> str:
    return {None: "90天内不会", 0: "已超过"}.get(days, f"{days} 天后")


@pytest.mark.parametrize("day", [None, date(2024, 3, 1)])  # the ledger end, and a day in the warning band
def test_outlook_page_numbers_equal_the_report(app, demo_db, prof, as_of, day):
    at = render(app, "views/outlook.py")
    if day is not None:
        at.sidebar.date_input(key="as_of").set_value(day).run()
        assert not at.exception, [e.message for e in at.exception]
    with store.read_connection(demo_db) as con:
        rep = report.build_report(con, day or as_of, prof)["outlook"]
        head = ratio.summary(con, day or as_of, prof)
        roll = outlook.roll(con, day or as_of, prof)
    days = rep["days_to_breach"]
    assert metric(at, "预计超暂停线（基准）").value == outlook_days(days["base"])
    assert metric(at, "预计超暂停线（压力）").value == outlook_days(days["stress"])
    assert metric(at, "再有几笔违约即超线").value == str(rep["loans_to_breach"])
    assert metric(at, "距暂停线余量（万元）").value == wan_text(head["headroom"])
    assert list(dataframe(at, "breach_table")["loan_id"]) == rep["breach_loans"]
    wall = dataframe(at, "wall_table")  # the 90-day horizon is the default
    expected = [r for r in rep["wall"] if r["horizon"] == 90]
    assert list(wall["bank"]) == [r["bank"] for r in expected]
    assert [round(v * 10000, 2) for v in wall["principal_current"]] == [float(r["principal_current"]) for r in expected]
    hhi = dataframe(at, "hhi_table")
    assert list(hhi["hhi"]) == ["—" if r["hhi"] is None else f"{r['hhi']:.4f}" for r in rep["hhi"]]
    # the largest share in percent (the grid shows it '%.2f%%'); a missing one stays empty
    assert [None if v != v else f"{v:.2f}%" for v in hhi["top_share"]] == [
        pct_text(r["top_share"]) if r["top_share"] is not None else None for r in rep["hhi"]]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [c["layout"]["title"]["text"] for c in charts]
    assert "未来90天预测不良率" in titles and any(t.startswith("迁徙矩阵") for t in titles) == (len(roll["matrix"]) > 0)
    if day is not None:
        assert days["base"] is not None  # the demo forecasts its breach in the warning band


def test_outlook_page_in_english(app, demo_db, prof, as_of):
    at = render(app, "views/outlook.py")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Outlook"
    with store.read_connection(demo_db) as con:
        rep = report.build_report(con, as_of, prof)["outlook"]
    assert metric(at, "Loans to breach").value == str(rep["loans_to_breach"])
    assert {"Projected breach (base)", "Projected breach (stress)"} <= {m.label for m in at.metric}
    assert list(dataframe(at, "hhi_table")["dimension"]) == ["Bank", "Guarantor", "Appraiser", "Industry",
                                                             "IP type"]


def test_as_of_in_a_halt_shows_the_halt_and_its_start(app, demo_db, prof, as_of):
    with store.read_connection(demo_db) as con:
        episode = halt.halt_episodes(con, prof, end=as_of).iloc[0]
        day = episode["start_on"]
        rep = report.build_report(con, day, prof)
    at = render(app)
    at.sidebar.date_input(key="as_of").set_value(day).run()
    assert not at.exception
    assert rep["status"] == "halted" and rep["halted_since"] == day
    assert metric(at, "不良率").value == pct_text(rep["npl_ratio"])
    assert any(f"自 {day.isoformat()} 起暂停" in m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["views/overview.py", "views/overdue.py", "views/outlook.py", "views/loan.py",
                                  "views/compensation.py", "views/compliance.py", "views/subsidies.py",
                                  "views/reports.py", "views/collateral.py", "views/inbox.py"])
def test_pages_on_an_empty_store_say_so(db_path, monkeypatch, page):
    monkeypatch.setenv("PLEDGEWATCH_DB", str(db_path))
    at = as_new_admin(AppTest.from_file(str(APP), default_timeout=60), db_path).run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("还没有借据数据" in i.value for i in at.info)


def test_fixed_lists_never_show_streamlits_english_empty_states(app):
    """Streamlit's "No results" / "Select all" / "Choose an option" are English only: the overdue
    filters are lists without typing (filter_mode None: no "No results"), the bucket multiselect has
    no "Select all" and its placeholder is ours; the sidebar's profile is a radio (its long titles
    wrap)."""
    at = render(app, "views/overdue.py")
    assert at.radio(key="profile").value == "anyi"
    for key in ("od_bank", "od_guarantor"):
        assert at.selectbox(key=key).proto.filter_mode == 3  # FILTER_MODE_NONE
    buckets = at.multiselect(key="od_buckets").proto
    assert buckets.filter_mode == 3
    assert buckets.select_all == 0
    assert buckets.placeholder == "全部"


def test_sign_in_warm_up_fills_the_bureau_overview_cache_once(demo_db, as_of, monkeypatch):
    """data.warm (run after the sign-in page): the bureau's overview at the latest date goes into the
    cache, once per (database, batch); the overview then reads no query."""
    from dashboard import data
    from queries import ratio as ratio_q

    calls = []
    real = ratio_q.summary
    monkeypatch.setattr(ratio_q, "summary", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(data, "_WARMED", set())
    data._overview.clear()
    batch = data.batch_key(str(demo_db))
    data.warm(str(demo_db), batch, as_of)
    assert calls == [1]  # computed once, program-wide (the bureau's scope is ())
    warmed = data._overview(str(demo_db), data.default_profile(), as_of, batch, ())
    assert calls == [1] and warmed["summary"]["as_of"] == as_of  # a cache hit: no second query
    data.warm(str(demo_db), batch, as_of)  # the same batch again: nothing more
    missing = str(demo_db.parent / "missing.duckdb")
    data.warm(missing, data.batch_key(missing), None)  # no store (batch -1), nothing to warm
    assert calls == [1]


def test_zz_print_render_times():  # runs last in this module: pytest keeps file order
    """Not a check: prints the cold render time of each page measured above (target < 2 s)."""
    for name, seconds in sorted(TIMINGS.items()):
        print(f"[render-summary] {name}: {seconds:.2f} s")
