"""展望 Outlook (for officials and risk managers): where the ratio goes if nothing new happens — the
projected ratio for 90 days, base and stress (R-PROJ), the loans whose default would breach
(R-BREAK), the maturity wall (R-WALL), concentration (R-HHI) and the month-end roll matrix (R-ROLL).
All numbers from queries.outlook through dashboard.data; data shown as text, never as Markdown."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import column, segment
from queries.outlook import ROLL_BUCKETS, ROLL_STATES, WALL_HORIZONS

ctx = state.page_with_loans("page_outlook")
d = data.outlook_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
o = d["outlook"]

st.caption(t("ol_intro"))
c = st.columns(4)
c[0].metric(t("ol_days_base"), fmt.days_text(o["days_to_breach"]["base"]), help=t("ol_days_help"), border=True)
c[1].metric(t("ol_days_stress"), fmt.days_text(o["days_to_breach"]["stress"]), help=t("ol_days_help"), border=True)
k = o["loans_to_breach"]
c[2].metric(t("ol_loans_to_breach"), t("ol_never_enough") if k is None else fmt.count(k), help=t("ol_loans_help"),
            border=True)
c[3].metric(fmt.wan_label(t("m_headroom")), fmt.wan_number(o["headroom"]), help=t("m_headroom_help"), border=True)

charts.show(charts.projection_chart(o["projection"], d["warning"], d["halt"], t("ch_proj_title")), key="proj_chart")

st.subheader(t("ol_break_title"))
rows = o["breach_rows"]
if len(rows):
    shown = fmt.to_wan(rows, ["outstanding"])
    fmt.table(shown, key="breach_table", column_config={
        "breach_rank": fmt.int_column(column("breach_rank")), "loan_id": column("loan_id"), "bank": column("bank"),
        "outstanding": fmt.money_column(column("outstanding")), "matures_on": fmt.date_column(column("matures_on")),
        "next_due_on": fmt.date_column(column("next_due_on"))})
else:
    st.info(t("ol_break_none"))

st.subheader(t("ol_wall_title"))
urlstate.bind("ol_horizon", WALL_HORIZONS[-1], urlstate.INT, param="horizon", valid=lambda v: v in WALL_HORIZONS)
HORIZON_LABELS = {n: t("ol_horizon_days", n=n) for n in WALL_HORIZONS}  # captured as data
horizon = st.segmented_control(t("ol_horizon"), WALL_HORIZONS, format_func=HORIZON_LABELS.get, key="ol_horizon")
horizon = horizon or WALL_HORIZONS[-1]
wall = o["wall_frame"]
wall = wall[wall["horizon"] == horizon]
if len(wall):
    charts.show(charts.wall_chart(wall, t("ch_wall_title", n=horizon)), key="wall_chart")
    fmt.table(fmt.to_wan(wall, ["principal_current", "principal_late"]), key="wall_table", column_config={
        "horizon": None, "bank": column("bank"),
        "principal_current": fmt.money_column(column("principal_current")),
        "principal_late": fmt.money_column(column("principal_late"))})
else:
    st.info(t("ol_wall_none"))

st.subheader(t("ol_hhi_title"))
fmt.table(fmt.hhi_rows(o["hhi_frame"], lambda code: segment("dimension", code)), key="hhi_table", column_config={
    "dimension": column("dimension"), "hhi": column("hhi"), "top_share": column("top_share"),
    "segments": fmt.int_column(column("segments"))})
st.caption(t("ol_hhi_note"))

st.subheader(t("ol_roll_title"))
roll = d["roll"]
st.text(t("ol_roll_months", m0=fmt.day(roll["m0"]), m1=fmt.day(roll["m1"])))
matrix = roll["matrix"]
if len(matrix):
    charts.show(charts.roll_heatmap(matrix, list(ROLL_BUCKETS), list(ROLL_STATES),
                              lambda code: segment("bucket", code), lambda code: segment("bucket", code),
                              t("ch_roll_title")), key="roll_chart")
    fmt.table(fmt.roll_rates(matrix, lambda code: segment("bucket", code)), key="roll_table", column_config={"from_bucket": column("from_bucket"),
                                                      "roll_rate": column("roll_rate")})
else:
    st.info(t("ol_roll_none"))
