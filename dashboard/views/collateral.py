"""质押物监测 Collateral: the pledged IP's legal status and fee watch (R-IPSTAT) and each loan's
coverage after losses (R-COVER) — headline figures, IP lost or at risk with loan, bank and
enterprise, the annual-fee calendar, and under-secured loans by uncovered amount. Every figure from
queries.collateral through dashboard.data; values are shown as table cells and metrics, never Markdown."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state, urlstate
from dashboard.i18n import t

ctx = state.page_with_loans("page_collateral")

d = data.collateral_watch(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
calendar, totals = d["fee_calendar"], d["totals"]

# three cards a row: at 1440 px four cut the money labels short ("质押物灭失贷款余额（万…")
c = st.columns(3)
c[0].metric(fmt.wan_label(t("m_lost_balance")), fmt.wan_number(totals["lost_balance"]), border=True,
            help=t("m_lost_help"))
c[1].metric(fmt.wan_label(t("m_at_risk_balance")), fmt.wan_number(totals["at_risk_balance"]), border=True,
            help=t("m_at_risk_help"))
c[2].metric(fmt.wan_label(t("m_uncovered")), fmt.wan_number(totals["uncovered"]), border=True,
            help=t("m_uncovered_help"))
c = st.columns(3)
c[0].metric(t("m_under_secured"), fmt.count(totals["under_secured_loans"]), border=True)
c[1].metric(t("m_ip_lost"), fmt.count(d["ip_lost"]), border=True)
c[2].metric(t("m_ip_at_risk"), fmt.count(d["ip_at_risk"]), border=True)

st.subheader(t("ip_risk"))
risky = d["at_risk_ips"].copy()
if len(risky):
    risky["state"] = [t("ip_state_lost") if lost else t("ip_state_at_risk") for lost in risky["lost"]]
    cols = ["loan_id", "enterprise_name", "bank", "ip_type", "ip_number", "state", "status", "status_on", "watch",
            "fee_paid_until", "fee_grace_until", "ip_expires_on", "outstanding"]
    fmt.labelled_table(risky, cols, "ip_risk_table", codes={"ip_type": "ip_type", "status": "ip_status", "watch": "watch"},
                       label_as={"status": "ip_status", "state": "ip_state"}, export="ip_risk")
else:
    st.caption(t("no_rows"))

st.subheader(t("fee_calendar"))
urlstate.bind("fee_horizon", 30, urlstate.INT, param="fee", valid=lambda v: v in (30, 60, 90))
FEE_LABELS = {n: t("fee_within", days=n) for n in (30, 60, 90)}  # captured as data
horizon = st.segmented_control(t("fee_horizon"), [30, 60, 90], key="fee_horizon", format_func=FEE_LABELS.get) or 30
due = calendar[calendar["horizon"] <= horizon]
if len(due):
    cols = ["next_fee_due", "days_left", "loan_id", "enterprise_name", "bank", "ip_type", "ip_number", "fee_watch"]
    fmt.labelled_table(due, cols, "fee_calendar_table", codes={"ip_type": "ip_type", "fee_watch": "watch"},
                       texts={"days_left": fmt.days_left_texts(due["days_left"])}, label_as={"days_left": "days_to_fee"},
                       export="fee_calendar")
else:
    st.caption(t("no_rows"))

st.subheader(t("under_secured"))
under = d["under_secured"]
if len(under):
    cols = ["loan_id", "enterprise_name", "bank", "uncovered", "outstanding", "base_value", "pledge_value", "ltv",
            "items", "lost_items"]
    fmt.labelled_table(under, cols, "under_secured_table", export="under_secured")
else:
    st.caption(t("no_rows"))
