"""质押物监测 Collateral: the pledged IP's legal status and fee watch (R-IPSTAT) and each loan's
coverage after losses (R-COVER) — headline figures, IP lost or at risk with loan, bank and
enterprise, the annual-fee calendar, and under-secured loans by uncovered amount. Every figure from
queries.collateral through dashboard.data; values are shown as table cells and metrics, never Markdown."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import column, translate

ctx = state.page_with_loans("page_collateral")

d = data.collateral_watch(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
calendar, totals = d["fee_calendar"], d["totals"]

c = st.columns(4)
c[0].metric(fmt.wan_label(t("m_lost_balance")), fmt.wan_number(totals["lost_balance"]), border=True,
            help=t("m_lost_help"))
c[1].metric(fmt.wan_label(t("m_at_risk_balance")), fmt.wan_number(totals["at_risk_balance"]), border=True,
            help=t("m_at_risk_help"))
c[2].metric(fmt.wan_label(t("m_uncovered")), fmt.wan_number(totals["uncovered"]), border=True,
            help=t("m_uncovered_help"))
c[3].metric(t("m_under_secured"), fmt.count(totals["under_secured_loans"]), border=True)
c = st.columns(4)
c[0].metric(t("m_ip_lost"), fmt.count(d["ip_lost"]), border=True)
c[1].metric(t("m_ip_at_risk"), fmt.count(d["ip_at_risk"]), border=True)

st.subheader(t("ip_risk"))
risky = d["at_risk_ips"].copy()
if len(risky):
    risky["state"] = [t("ip_state_lost") if lost else t("ip_state_at_risk") for lost in risky["lost"]]
    cols = ["loan_id", "bank", "enterprise_name", "ip_type", "ip_number", "status", "status_on", "watch", "state",
            "fee_paid_until", "fee_grace_until", "ip_expires_on", "outstanding"]
    shown = translate(fmt.to_wan(risky[cols], ["outstanding"]),
                      {"ip_type": "ip_type", "status": "ip_status", "watch": "watch"})
    config = {c: column(c) for c in cols}
    config.update({"status": column("ip_status"), "state": t("ip_state"),
                   "outstanding": fmt.money_column(column("outstanding"))})
    config.update({c: fmt.date_column(column(c)) for c in ("status_on", "fee_paid_until", "fee_grace_until",
                                                            "ip_expires_on")})
    fmt.table(shown, column_config=config, key="ip_risk_table")
else:
    st.caption(t("no_rows"))

st.subheader(t("fee_calendar"))
urlstate.bind("fee_horizon", 30, urlstate.INT, param="fee", valid=lambda v: v in (30, 60, 90))
FEE_LABELS = {n: t("fee_within", days=n) for n in (30, 60, 90)}  # captured as data
horizon = st.segmented_control(t("fee_horizon"), [30, 60, 90], key="fee_horizon", format_func=FEE_LABELS.get) or 30
due = calendar[calendar["horizon"] <= horizon]
if len(due):
    cols = ["next_fee_due", "days_left", "loan_id", "bank", "enterprise_name", "ip_type", "ip_number", "fee_watch"]
    shown = translate(due[cols], {"ip_type": "ip_type", "fee_watch": "watch"})
    config = {c: column(c) for c in cols}
    config.update({"next_fee_due": fmt.date_column(column("next_fee_due")), "days_left": fmt.int_column(column("days_left"))})
    fmt.table(shown, column_config=config, key="fee_calendar_table")
else:
    st.caption(t("no_rows"))

st.subheader(t("under_secured"))
under = d["under_secured"]
if len(under):
    money = ["outstanding", "base_value", "pledge_value", "uncovered"]
    cols = ["loan_id", "bank", "enterprise_name", *money, "ltv", "items", "lost_items"]
    shown = fmt.to_pct(fmt.to_wan(under[cols], money), ["ltv"])
    config = {c: column(c) for c in cols}
    config.update({m: fmt.money_column(column(m)) for m in money})
    config["ltv"] = fmt.ratio_column(column("ltv"))
    fmt.table(shown, column_config=config, key="under_secured_table")
else:
    st.caption(t("no_rows"))
