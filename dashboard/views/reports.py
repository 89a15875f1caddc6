"""报表下载 Reports: choose an as-of date or a month; download the report CLI's sections (portfolio
snapshot, alerts, claims, compliance, subsidy totals — queries.report.write_csv / write_xlsx, the
same content as ``python -m queries.report``), the overdue list and the monthly filing summary
(项目备案汇总, seed 004 九(二))."""

from __future__ import annotations

import streamlit as st

from dashboard import data, exports, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import column, section_title, translate

ctx = state.page_with_loans("page_reports")

FILING_COLUMNS, OVERDUE_COLUMNS = exports.FILING_COLUMNS, exports.OVERDUE_COLUMNS


# basis and month are codes in the URL (urlstate): a language switch keeps the chosen month
months = data.report_months(ctx.as_of)
urlstate.bind("rep_mode", "date", param="basis", valid=lambda v: v in ("date", "month"))
MODE_LABELS = {"date": t("report_by_date"), "month": t("report_by_month")}  # captured as data
mode = st.radio(t("report_date_mode"), ("date", "month"), horizontal=True, key="rep_mode", format_func=MODE_LABELS.get)
if mode == "month":
    urlstate.bind("rep_month", months[0], urlstate.MONTH, param="month", valid=lambda v: v in months)
    as_of = st.selectbox(t("report_month"), months, key="rep_month", format_func=fmt.month)
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
                   type="primary", icon=":material/download:")
for section in rep["csv"]:
    n = rep["rows"][section]
    cols = st.columns([3, 1])
    cols[0].markdown(f"**{section_title(section)}** · {t('rows', n=n)}")
    cols[1].download_button(t("download_csv"), rep["csv"][section], file_name=f"{section}_{as_of.isoformat()}.csv",
                            mime="text/csv", key=f"dl_{section}_csv")

st.divider()
overdue = data.overdue(ctx.db, ctx.profile, as_of, ctx.batch)["list"]
cols = st.columns([2, 1, 1])
cols[0].markdown(f"**{t('page_overdue')}** · {t('rows', n=len(overdue))}")
cols[1].download_button(t("download_csv"), exports.csv_bytes(overdue, OVERDUE_COLUMNS),
                        file_name=f"overdue_{as_of.isoformat()}.csv", mime="text/csv", key="dl_overdue_csv")
cols[2].download_button(t("download_xlsx"), exports.xlsx_bytes({"overdue": (overdue, OVERDUE_COLUMNS)}),
                        file_name=f"overdue_{as_of.isoformat()}.xlsx", key="dl_overdue_xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

filing = data.filing_summary(ctx.db, ctx.batch, *data.month_bounds(as_of))
label = fmt.month(as_of)
st.subheader(t("filing_title", month=label))
cols = st.columns([2, 1, 1])
cols[0].markdown(t("rows", n=len(filing)))
cols[1].download_button(t("download_csv"), exports.csv_bytes(filing, FILING_COLUMNS),
                        file_name=f"filing_{label}.csv", mime="text/csv", key="dl_filing_csv")
cols[2].download_button(t("download_xlsx"), exports.xlsx_bytes({"filing": (filing, FILING_COLUMNS)}),
                        file_name=f"filing_{label}.xlsx", key="dl_filing_xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
money = ["principal", "appraised_value", "fair_value", "appraisal_fee", "guarantee_fee"]
config = {c_: column(c_) for c_ in FILING_COLUMNS}
config.update({m: fmt.money_column(column(m)) for m in money})
config.update({"disbursed_on": fmt.date_column(column("disbursed_on")),
               "matures_on": fmt.date_column(column("matures_on")),
               "annual_rate": fmt.ratio_column(column("annual_rate"))})
fmt.table(translate(fmt.to_pct(fmt.to_wan(filing[list(FILING_COLUMNS)], money), ["annual_rate"]),
                    {"pledge_mode": "pledge_mode", "guarantor": "guarantor"}), hide_index=True,
             column_config=config, key="filing_table")
