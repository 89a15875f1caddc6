"""AppTest of the 质押物监测 / Collateral page against the demo database, in both languages: its
figures equal the report's (R-IPSTAT, R-COVER); the overview shows the uncovered balance beside the
ratio; the loan page lists each pledged IP's status history."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines import store
from queries import collateral, report
from tests.dashboard_fixtures import unlink, wan_text


@pytest.fixture(scope="module")
def rep(demo_db, prof, as_of):
    with store.read_connection(demo_db) as con:
        return report.build_report(con, as_of, prof)


@pytest.fixture(scope="module")
def engine(demo_db, prof, as_of):
    with store.read_connection(demo_db) as con:
        return collateral.watch(con, as_of, prof)


@pytest.fixture(autouse=True)
def fresh_caches():
    # Streamlit caches outlive AppTest instances (STYLE.md)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()



def page(at: AppTest, lang: str = "zh") -> AppTest:
    at.run()
    if lang != "zh":
        at.sidebar.radio(key="lang").set_value(lang).run()
    at.switch_page("views/collateral.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at, label):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[0].value


def table(at, *columns):
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, [list(d.value.columns)[:5] for d in at.dataframe]
    return unlink(found[0])


LABELS = {
    "zh": ("质押物灭失贷款余额（万元）", "质押物有风险贷款余额（万元）", "超出质押率部分（万元）", "质押不足笔数", "质押物监测"),
    "en": ("Balance with lost IP (10k CNY)", "Balance with at-risk IP (10k CNY)", "Uncovered (10k CNY)",
           "Under-secured loans", "Collateral"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_collateral_page_figures_equal_the_report(app, rep, engine, lang):
    at = page(app, lang)
    lost, at_risk, uncovered, under, title = LABELS[lang]
    assert at.title[0].value == title
    totals = rep["coverage_totals"]
    assert metric(at, lost) == wan_text(totals["lost_balance"])
    assert metric(at, at_risk) == wan_text(totals["at_risk_balance"])
    assert metric(at, uncovered) == wan_text(totals["uncovered"])
    cov = engine["coverage"]
    under_secured = cov[cov["active"] & cov["under_secured"]].sort_values(["uncovered", "loan_id"],
                                                                          ascending=[False, True])
    assert metric(at, under) == str(len(under_secured))
    # the IP lost or at risk: exactly the report's collateral rows with lost or at_risk, with their loan
    risky = sorted((r["loan_id"], r["ip_number"]) for r in rep["collateral"] if r["lost"] or r["at_risk"])
    shown = table(at, "loan_id", "ip_number", "enterprise_name", "state")
    assert sorted(zip(shown["loan_id"], shown["ip_number"], strict=True)) == risky
    # under-secured loans, largest uncovered first, each the report's uncovered (in 万元)
    if len(under_secured):
        loans = table(at, "loan_id", "pledge_value", "uncovered", "ltv")
        assert list(loans["loan_id"]) == list(under_secured["loan_id"])
        by_loan = {r["loan_id"]: r["uncovered"] for r in rep["coverage"]}
        assert [round(v, 6) for v in loans["uncovered"]] == [round(float(by_loan[x]) / 10000, 6)
                                                              for x in loans["loan_id"]]


def test_fee_calendar_widens_from_30_to_90_days(app, engine):
    at = page(app)
    calendar = engine["fee_calendar"]
    control = at.get("button_group")[0]
    for days in (30, 60, 90):
        control.set_value(days).run()
        assert not at.exception
        want = calendar[calendar["horizon"] <= days]
        found = [d.value for d in at.dataframe if {"next_fee_due", "days_left"} <= set(d.value.columns)]
        assert (len(found[0]) if found else 0) == len(want)


def test_overview_shows_the_uncovered_balance_beside_the_ratio(app, rep):
    app.run()
    labels = [m.label for m in app.metric]
    assert labels.index("超出质押率部分（万元）") == labels.index("不良率") + 1
    assert metric(app, "超出质押率部分（万元）") == wan_text(rep["coverage_totals"]["uncovered"])


def test_loan_page_lists_each_pledged_ips_status_history(app, demo_db):
    with store.read_connection(demo_db) as con:
        loan_id, n = con.execute(
            "select c.loan_id, count(*) from collateral c join ip_status s using (ip_number) "
            "group by c.loan_id order by count(*) desc, c.loan_id limit 1").fetchall()[0]
    app.run()
    app.query_params["loan"] = loan_id  # a drill-down or shared link: ?loan=ID
    app.switch_page("views/loan.py").run()
    assert not app.exception
    history = table(app, "ip_number", "status_on", "status", "fee_paid_until")
    assert len(history) == n
