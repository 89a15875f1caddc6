"""报表下载 Reports: choose an as-of date or a month; download the report CLI's sections (portfolio
snapshot, alerts, claims, compliance, subsidy totals — queries.report.write_csv / write_xlsx, the
same content as ``python -m queries.report``), the overdue list and the monthly filing summary
(项目备案汇总, seed 004 九(二))."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, data, exports, fmt, state, urlstate
from dashboard.i18n import lang, t
from dashboard.labels import column, section_title

ctx = state.page_with_loans("page_reports")

FILING_COLUMNS, OVERDUE_COLUMNS = exports.FILING_COLUMNS, exports.OVERDUE_COLUMNS


# basis and month are codes in the URL (urlstate): a language switch keeps the chosen month
months = data.report_months(ctx.as_of)
urlstate.bind("rep_mode", "date", param="basis", valid=lambda v: v in ("date", "month"))
MODE_LABELS = {"date": t("report_by_date"), "month": t("report_by_month")}  # captured as data
mode = st.radio(t("report_date_mode"), ("date", "month"), horizontal=True, key="rep_mode", format_func=MODE_LABELS.get)
if mode == "month":
    urlstate.bind("rep_month", months[0], urlstate.MONTH, param="month", valid=lambda v: v in months)
    as_of = st.selectbox(t("report_month"), months, key="rep_month", format_func=fmt.month,
                         filter_mode=None)
else:
    urlstate.bind("rep_date", ctx.as_of, urlstate.DATE, param="date")
    as_of = st.date_input(t("as_of"), key="rep_date", format="YYYY-MM-DD")
st.caption(t("report_as_of", date=fmt.day(as_of)))

rep = data.report_files(ctx.db, ctx.profile, as_of, ctx.batch)
r = rep["report"]
c = st.columns(4)
c[0].metric(fmt.wan_label(column("active_balance")), fmt.wan_number(r["active_balance"]), border=True)
c[1].metric(t("m_npl_ratio"), fmt.pct(r["npl_ratio"]), border=True)
c[2].metric(column("status"), fmt.status_text(r["status"]), border=True)
c[3].metric(t("m_alerts"), fmt.count(len(r["alerts_60d"])), border=True)

st.download_button(t("download_all_xlsx"), rep["xlsx"], file_name=f"report_{as_of.isoformat()}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_report_xlsx",
                   on_click=auth.downloaded, args=("report_xlsx", as_of), type="primary", icon=":material/download:")
for section in rep["csv"]:
    n = rep["rows"][section]
    cols = st.columns([3, 1])
    cols[0].markdown(f"**{section_title(section)}** · {t('rows', n=n)}")
    cols[1].download_button(t("download_csv"), rep["csv"][section], file_name=f"{section}_{as_of.isoformat()}.csv",
                            mime="text/csv", key=f"dl_{section}_csv", on_click=auth.downloaded,
                            args=(f"{section}_csv", as_of))

st.divider()
# the overdue list and the monthly filing as views: the screen's headers, 万元 in CSV and XLSX alike
overdue = data.overdue(ctx.db, ctx.profile, as_of, ctx.batch)["list"]
st.markdown(f"**{t('page_overdue')}** · {t('rows', n=len(overdue))}")
fmt.export_buttons(exports.View(overdue, OVERDUE_COLUMNS, exports.OVERDUE_CODES, {}, lang(),
                                {"days_left": fmt.days_left_texts(overdue["days_left"])}), "overdue")

filing = data.filing_summary(ctx.db, ctx.batch, *data.month_bounds(as_of))
label = fmt.month(as_of)
st.subheader(t("filing_title", month=label))
st.markdown(t("rows", n=len(filing)))
fmt.labelled_table(filing, FILING_COLUMNS, "filing_table", codes={"pledge_mode": "pledge_mode", "guarantor": "guarantor"},
                   export=f"filing_{label}")
