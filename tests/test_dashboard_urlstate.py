"""Issue 12 defects 1–3 in AppTest: widgets keep their codes through a language switch, the page
state is in the URL (st.query_params) as codes and is restored from it, an unknown loan says so.
(The browser test, tests/test_browser.py, does the same through a real Back button and a new
browser context.)"""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from pipelines import store
from queries import dpd


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


def _open(app, page, **params):
    app.run()
    for k, v in params.items():
        app.query_params[k] = v
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _overdue_ids(demo_db, prof, as_of, buckets=None, bank=None):
    with store.read_connection(demo_db) as con:
        snap = dpd.loan_snapshot(con, as_of, prof, {"bank": bank} if bank else None)
    rows = snap[snap["overdue"]]
    if buckets:
        rows = rows[rows["bucket"].isin(buckets)]
    return sorted(rows["loan_id"])


def _table_ids(at):
    frame = next(d.value for d in at.dataframe if d.key == "overdue_table")
    return sorted(frame["loan_id"])


def test_language_switch_keeps_every_overdue_filter(app, demo_db, prof, as_of):
    # defect 1: 90天以上 then English then 中文 raised TypeError at views/overdue.py:34
    at = _open(app, "views/overdue.py")
    with store.read_connection(demo_db) as con:
        snap = dpd.loan_snapshot(con, as_of, prof)
    bank = snap.loc[snap["overdue"] & (snap["bucket"] == "90+"), "bank"].iloc[0]
    at.selectbox(key="od_bank").set_value(bank).run()
    at.multiselect(key="od_buckets").set_value(["90+"]).run()
    expected = _overdue_ids(demo_db, prof, as_of, ["90+"], bank)
    assert _table_ids(at) == expected and expected
    for lang in ("en", "zh", "en"):
        at.sidebar.radio(key="lang").set_value(lang).run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.multiselect(key="od_buckets").value == ["90+"]
        assert at.selectbox(key="od_bank").value == bank
        assert _table_ids(at) == expected
    # the URL holds the codes, never a translated label
    assert at.query_params["bucket"] == "90+" and at.query_params["bank"] == bank
    assert at.query_params["lang"] == "en"


def test_report_month_survives_the_language_switch(app, as_of):
    # defect 2: by month, 2024-04, English: neither basis selected, files of another date
    at = _open(app, "views/reports.py")
    at.radio(key="rep_mode").set_value("month").run()
    at.selectbox(key="rep_month").set_value(date(2024, 4, 30)).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.radio(key="rep_mode").value == "month"
    assert at.selectbox(key="rep_month").value == date(2024, 4, 30)
    names = [b.proto.file_name if hasattr(b.proto, "file_name") else "" for b in at.get("download_button")]
    assert not any("2025" in n for n in names if n), names
    assert at.query_params["basis"] == "month" and at.query_params["month"] == "2024-04"


def test_import_kind_survives_the_language_switch(app):
    at = _open(app, "views/data_import.py")
    at.selectbox(key="import_kind").set_value("repayments").run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.selectbox(key="import_kind").value == "repayments"


def test_a_shared_url_restores_language_date_and_filters(app, demo_db, prof):
    # a colleague's link: English, an earlier as-of date, the 90+ bucket
    day = date(2024, 3, 31)
    at = _open(app, "views/overdue.py", lang="en", asof=day.isoformat(), bucket="90+", profile="anyi")
    assert at.title[0].value == "Overdue"
    assert at.sidebar.date_input(key="as_of").value == day
    assert at.multiselect(key="od_buckets").value == ["90+"]
    assert _table_ids(at) == _overdue_ids(demo_db, prof, day, ["90+"])


def test_unknown_loan_id_says_so(app):
    at = _open(app, "views/loan.py", loan="NOSUCHLOAN")
    assert [e.value for e in at.error] == ["找不到借据 NOSUCHLOAN"]
    assert at.selectbox(key="loan_pick").value is None  # never another loan
    assert not [m for m in at.metric]


def test_loan_picker_labels_search_enterprise_and_credit_code(app, demo_db):
    with store.read_connection(demo_db) as con:
        loan_id, name, code = con.execute(
            "select loan_id, enterprise_name, credit_code from loans where enterprise_name like '%正邦%' "
            "order by loan_id limit 1").fetchall()[0]
    at = _open(app, "views/loan.py")
    box = at.selectbox(key="loan_pick")
    # Streamlit filters the options on the shown label: typing 正邦 or the credit code matches it
    hits = [o for o in box.options if "正邦" in o]
    assert any(loan_id in o and code in o and name in o for o in hits)
    box.set_value(loan_id).run()
    assert at.query_params["loan"] == loan_id
    assert not at.error


def test_drill_down_carries_language_and_date_to_the_loan(app, demo_db, prof, as_of):
    at = _open(app, "views/overdue.py", lang="en", asof=as_of.isoformat(), bucket="90+")
    first = _table_ids(at)[0]
    at.selectbox(key="od_pick").set_value(first)
    at.button(key="od_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Loan detail"
    assert at.selectbox(key="loan_pick").value == first
    assert at.query_params["loan"] == first and at.query_params["lang"] == "en"


def test_a_closed_loan_shows_its_closure_and_stops_ageing(app, demo_db, as_of):
    # defect 6: JX2023071501 (compensated, then written off, balance 0.00) showed 685 days and a
    # DPD line still climbing, and no class
    import json

    with store.read_connection(demo_db) as con:
        closed_on = con.execute("select max(event_on) from events where loan_id = 'JX2023071501' "
                                "and kind in ('compensation', 'write_off')").fetchall()[0][0]
        # interest is due monthly on the 15th; the last one paid was 2024-01-15, so 2024-02-15 is the
        # oldest unpaid due
        last_paid = con.execute("select max(paid_on) from repayments where loan_id = 'JX2023071501' "
                                "and interest_paid > 0").fetchall()[0][0]
    assert last_paid == date(2024, 1, 15)
    oldest = date(2024, 2, 15)
    last_active = closed_on.toordinal() - 1
    expected_dpd = last_active - oldest.toordinal()
    at = _open(app, "views/loan.py", loan="JX2023071501")
    cards = {m.label: m.value for m in at.metric}
    assert cards["贷款状态"] == "已代偿并核销"
    assert cards["结束日期"] == closed_on.isoformat()
    assert cards["逾期天数（结束时）"] == f"{expected_dpd} 天"
    # R-CLASS by DPD: > 90 substandard, > 270 doubtful, > 360 loss
    klass = "损失" if expected_dpd > 360 else "可疑" if expected_dpd > 270 else "次级" if expected_dpd > 90 else "关注"
    assert cards["五级分类（结束时）"] == klass
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    dpd_line = next(c for c in charts if c["layout"]["title"]["text"] == "逾期天数走势")
    assert max(dpd_line["data"][0]["x"]) <= closed_on.isoformat() < as_of.isoformat()
