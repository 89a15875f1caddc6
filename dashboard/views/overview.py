"""总览 Overview (for officials): headline metrics, status, the NPL ratio over the whole history,
disbursements, ratio by institution and the portfolio mix. All numbers from engine functions."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import translate

ctx = state.page_with_loans("page_overview")

d = data.overview(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
s = d["summary"]

st.caption(f"{t('status')} · {fmt.day(s['as_of'])}")
if s["active_loans"] or s["halted_since"] is not None:
    fmt.status_badge(s["status"], s["halted_since"])
else:  # before the first loan there is no status to show (it said 正常)
    st.info(t("no_loans_yet"))

# Three cards a row: at 1440 px five a row cut the labels and the ratio's delta short.
c = st.columns(3)
c[0].metric(fmt.wan_label(t("m_active_balance")), fmt.wan_number(s["active_balance"]), border=True)
c[1].metric(t("m_active_loans"), fmt.count(s["active_loans"]), border=True)
c[2].metric(t("m_npl_ratio"), fmt.pct(s["npl_ratio"]), border=True, delta_color="inverse",
            delta=None if s["npl_ratio_change"] is None else t("m_npl_delta_pp", delta=fmt.points(s["npl_ratio_change"])),
            help=t("m_npl_help", prev_day=fmt.day(s["prev_month_end"]), prev=fmt.pct(s["npl_ratio_prev_month_end"])))
if d["own"] is not None:  # R-SCOPE: a party's own book, under the program ratio and never instead of it
    st.columns(3)[2].metric(t("m_own_ratio"), fmt.pct(d["own_ratio"]), border=True,
                            help=t("m_own_ratio_help", own_active=fmt.wan_number(d["own"]["active_balance"])))
c = st.columns(3)
# R-COVER next after the ratio: what the pledged IP no longer covers at the pledge rate
c[0].metric(fmt.wan_label(t("m_uncovered")), fmt.wan_number(d["coverage_totals"]["uncovered"]), border=True,
            help=t("m_uncovered_help"))
c[1].metric(fmt.wan_label(t("m_headroom")), fmt.wan_number(s["headroom"]), help=t("m_headroom_help"), border=True)
c[2].metric(fmt.wan_label(t("m_overdue_balance")), fmt.wan_number(s["overdue_balance"]), border=True)
c = st.columns(3)
c[0].metric(t("m_alerts"), fmt.count(len(d["alerts"])), border=True)
c[1].metric(fmt.wan_label(t("m_disbursed_ytd")), fmt.wan_number(d["disbursed_year"]["principal"]), border=True,
            help=f"{fmt.count(d['disbursed_year']['loans'])} {t('unit_loans')}")
sub = d["subsidies_year"]
c[2].metric(fmt.wan_label(t("m_subsidies_ytd")), fmt.wan_number(sub["amount"]), border=True,
            help=t("unconfirmed_note") if sub["unconfirmed"] else None,
            delta=t("unconfirmed") if sub["unconfirmed"] else None, delta_color="off", delta_arrow="off")
# the banks' own 5-category ratio is built from loan rows: a party sees its own book's (R-SCOPE)
st.caption(f"{t('m_bank_npl')}: {fmt.pct((d['own'] or s)['bank_npl_ratio'])} — {t('m_bank_npl_help')}")
stale = data.stale_banks(ctx.db, ctx.profile, ctx.as_of, ctx.batch)  # R-FRESH, named beside the ratio
if stale:
    st.warning(t("fresh_stale", banks=fmt.md_text(stale)))

charts.show(charts.npl_chart(d["series"], d["episodes"], s["npl_warning_threshold"], s["npl_halt_threshold"],
                             t("ch_npl_title")), key="npl_chart")

left, right = st.columns(2)
with left:
    disb = fmt.to_wan(d["disbursements"], ["principal"])
    charts.show(charts.bar_chart(disb, "month", "principal", t("ch_disbursed_title"), colour="bank",
                                 y_title=t("ch_amount_wan"), dates=True), key="disb_chart")
with right:
    # one chart for the chosen institution kind (in the URL as ?ratio_by=), not three tabs that each
    # drew theirs on the first render (issue 12: the overview's cold render)
    BY_LABELS = {"bank": t("ch_by_bank"), "guarantor": t("ch_by_guarantor"), "appraiser": t("ch_by_appraiser")}
    urlstate.bind("ov_ratio_by", "bank", param="ratio_by", valid=lambda v: v in BY_LABELS)
    by = st.segmented_control(t("ch_ratio_by"), list(BY_LABELS), key="ov_ratio_by", format_func=BY_LABELS.get,
                              required=True, label_visibility="collapsed")
    frame = d["breakdown"][by]
    name_col = frame.columns[0]
    charts.show(charts.ratio_bars(translate(frame, {name_col: by}), name_col, t("ch_ratio_by"),
                                  s["npl_warning_threshold"], s["npl_halt_threshold"]), key=f"ratio_{by}")

mix = fmt.to_wan(d["mix"], ["balance"])
left, right = st.columns(2)
for col, dim, key in ((left, "ip_type", "ch_by_ip_type"), (right, "industry", "ch_by_industry")):
    part = translate(mix[mix["dimension"] == dim], {"segment": dim})
    with col:
        charts.show(charts.pie_chart(part, "segment", "balance", f"{t('ch_portfolio_title')} · {t(key)}"),
                    key=f"mix_{dim}")
