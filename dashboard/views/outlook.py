"""展望 Outlook (for officials and risk managers): where the ratio goes if nothing new happens — the
projected ratio for 90 days, base and stress (R-PROJ), the loans whose default would breach
(R-BREAK), the maturity wall (R-WALL), concentration (R-HHI) and the month-end roll matrix (R-ROLL).
All numbers from queries.outlook through dashboard.data; data shown as text, never as Markdown."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import segment
from queries.outlook import ROLL_BUCKETS, ROLL_STATES, WALL_HORIZONS

ctx = state.page_with_loans("page_outlook")
d = data.outlook_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
o = d["outlook"]

st.caption(t("ol_intro"))
# two cards a row: "Not within 90 days" and "Headroom to halt (10k CNY)" are cut off in a quarter
c = st.columns(2)
c[0].metric(t("ol_days_base"), fmt.days_text(o["days_to_breach"]["base"]), help=t("ol_days_help"), border=True)
c[1].metric(t("ol_days_stress"), fmt.days_text(o["days_to_breach"]["stress"]), help=t("ol_days_help"), border=True)
k = o["loans_to_breach"]
c = st.columns(2)
c[0].metric(t("ol_loans_to_breach"), t("ol_never_enough") if k is None else fmt.count(k), help=t("ol_loans_help"),
            border=True)
c[1].metric(fmt.wan_label(t("m_headroom")), fmt.wan_number(o["headroom"]), help=t("m_headroom_help"), border=True)

charts.show(charts.projection_chart(o["projection"], d["warning"], d["halt"], t("ch_proj_title")), key="proj_chart")

st.subheader(t("ol_break_title"))
rows = o["breach_rows"]
if len(rows):
    fmt.labelled_table(rows, ["breach_rank", "loan_id", "bank", "outstanding", "matures_on", "next_due_on"],
                       "breach_table", export="outlook_breach_loans")
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
    fmt.labelled_table(wall, ["bank", "principal_current", "principal_late"], "wall_table", export="outlook_wall")
else:
    st.info(t("ol_wall_none"))

st.subheader(t("ol_hhi_title"))
fmt.labelled_table(o["hhi_frame"], ["dimension", "hhi", "top_share", "segments"], "hhi_table", codes={"dimension": "dimension"},
                   texts={"hhi": {v: fmt.hhi_text(v) for v in o["hhi_frame"]["hhi"]}}, export="outlook_hhi")
st.caption(t("ol_hhi_note"))

st.subheader(t("ol_roll_title"))
roll = d["roll"]
st.text(t("ol_roll_months", m0=fmt.day(roll["m0"]), m1=fmt.day(roll["m1"])))
matrix = roll["matrix"]
if len(matrix):
    charts.show(charts.roll_heatmap(matrix, list(ROLL_BUCKETS), list(ROLL_STATES),
                              lambda code: segment("bucket", code), lambda code: segment("bucket", code),
                              t("ch_roll_title")), key="roll_chart")
    rates = matrix.drop_duplicates("from_bucket")
    fmt.labelled_table(rates[rates["from_bucket"] != "new"], ["from_bucket", "roll_rate"], "roll_table",
                       codes={"from_bucket": "bucket"}, export="outlook_roll")
else:
    st.info(t("ol_roll_none"))
