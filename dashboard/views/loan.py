"""借据详情 Loan detail: terms, pledged IP (expiry against maturity), dues against payments,
DPD over time, events, compliance flags and the renewal chain of one loan (engine functions)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import column

ctx = state.current()
st.title(t("page_loan"))
index = data.loan_index(ctx.db, ctx.batch) if ctx.batch >= 0 else {}
if not index:
    st.info(t("no_data"))
    st.stop()

# The loan is ?loan=ID (a drill-down, a shared link); the picker searches id, enterprise, credit code.
urlstate.bind("loan_pick", None, param="loan", valid=lambda v: v in index)
loan_id = st.selectbox(t("choose_loan"), list(index), key="loan_pick", format_func=index.get, index=None,
                       placeholder=t("search_loan"))
asked = urlstate.invalid("loan_pick")
d = data.loan_detail(ctx.db, ctx.profile, ctx.as_of, ctx.batch, loan_id) if loan_id else None
if d is None:  # an unknown id, or one outside the account's scope: the same words, never another loan
    if asked or loan_id:
        st.error(t("loan_not_found", loan_id=fmt.md_text(loan_id or asked[0])))
    else:
        st.info(t("search_loan_hint"))
    st.stop()
auth.loan_viewed(loan_id)  # R-SCOPE audit row, once per loan shown
terms, now = d["terms"], d["state"]

closure = data.loan_closure(ctx.db, ctx.profile, ctx.as_of, ctx.batch, loan_id, d["history"])

st.subheader(fmt.md_text(f"{terms['enterprise_name']} · {loan_id}"))
c = st.columns(4)
c[0].metric(fmt.wan_label(column("principal")), fmt.wan_number(terms["principal"]), border=True)
c[1].metric(fmt.wan_label(column("outstanding")), fmt.wan_number(now["outstanding"].iloc[0]) if len(now) else t("none"), border=True)
c[2].metric(column("annual_rate"), fmt.pct(terms["annual_rate"]), border=True)
c[3].metric(column("matures_on"), fmt.day(terms["matures_on"]), border=True)
# a closed loan shows what it is (repaid, compensated, written off, renewed) and its DPD and class
# of its last active day, never a DPD still counting after closure
c = st.columns(4)
for col, (label, value, help_) in zip(c, fmt.loan_state_cards(now, closure), strict=False):
    col.metric(label, value, help=help_, border=True)

st.markdown(f"#### {t('terms')}")
fields = ["credit_code", "bank", "pledge_mode", "guarantor", "appraiser", "disbursed_on", "matures_on",
          "appraised_value", "fair_value", "guarantee_fee", "appraisal_fee", "renewed_from", "industry"]
fmt.table(fmt.fields_frame(terms, fields), hide_index=True, column_config={"field": t("terms"), "value": " "},
          key="terms_table", height=fmt.table_height(len(fields)))

st.markdown(f"#### {t('pledged_ip')}")
fmt.labelled_table(d["collateral"], ["ip_type", "ip_number", "ip_expires_on", "appraised_value",
                                     "expires_before_maturity"], "ip_table", codes={"ip_type": "ip_type"})

st.markdown(f"#### {t('ip_status_history')}")
history = d["ip_status"]
if len(history):
    fmt.labelled_table(history, ["ip_number", "ip_type", "status_on", "status", "fee_paid_until"], "ip_status_table",
                       codes={"ip_type": "ip_type", "status": "ip_status"}, label_as={"status": "ip_status"})
else:
    st.caption(t("no_rows"))

st.markdown(f"#### {t('dues_payments')}")
dues, pays = d["dues"], d["payments"]
left, right = st.columns(2)
with left:
    # one loan's dues and payments in 元: interest of 2,366.67 元 is not 0.24 万元
    fmt.labelled_table(dues, ["due_on", "principal_due", "interest_due", "principal_settled_on",
                              "interest_settled_on"], "dues_table", unit="yuan", export=f"dues_{loan_id}")
with right:
    fmt.labelled_table(pays, ["paid_on", "kind", "party", "principal_paid", "interest_paid", "outstanding_after"],
                       "payments_table", codes={"kind": "kind", "party": "party"}, unit="yuan",
                       label_as={"outstanding_after": "outstanding"}, export=f"payments_{loan_id}")

charts.show(charts.cumulative_chart(d["cumulative"]), key="cum_chart")

hist = closure["history"]
if len(hist):
    charts.show(charts.line_chart(hist, "at", {"dpd": t("ch_dpd")}, t("ch_dpd_title"), shape="hv",
                                  y_title=t("unit_days")), key="dpd_chart")

left, right = st.columns(2)
with left:
    st.markdown(f"#### {t('events')}")
    ev = d["events"]
    if len(ev):
        charts.show(charts.events_chart(ev), key="events_chart")
        fmt.labelled_table(ev, ["event_on", "kind", "party", "amount"], "events_table", unit="yuan",
                           codes={"kind": "kind", "party": "party"}, export=f"events_{loan_id}")
    else:
        st.caption(t("no_rows"))
with right:
    st.markdown(f"#### {t('compliance_flags')}")
    flags = d["compliance"]
    if len(flags):
        fmt.labelled_table(flags, ["rule", "item", "detail"], "flags_table", texts={"detail": fmt.detail_texts(flags["detail"])},
                           export=f"compliance_{loan_id}")
    else:
        st.success(t("no_flags"))
    st.markdown(f"#### {t('renewal_chain')}")
    chain = d["chain"]
    if len(chain) > 1:
        fmt.labelled_table(chain, ["position", "loan_id", "disbursed_on", "principal"], "chain_table",
                           export=f"renewals_{loan_id}")
    else:
        st.caption(t("no_rows"))
