"""逾期监控 Overdue (for risk managers): filters, ageing by balance, the overdue table with a DPD
bar, alert date, claim status and days left; a selected loan opens its detail page.

Bank and guarantor filter through the engine's scope (SQL); bucket, DPD and amount narrow the
engine's list of overdue loans. Nothing is recomputed here: the table is the engine's snapshot
rows with overdue = true, joined to the engine's alerts and the compensation claims.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import column, segment, translate

BUCKETS = ("1-29", "30-59", "60-89", "90+")

ctx = state.page_with_loans("page_overdue")

names = data.institutions(ctx.db, ctx.batch)
banks, guarantors = names["bank"], names["guarantor"]

ALL = ""  # sentinel option "all" (None would read as "nothing selected")
# Option labels captured as data: AppTest calls format_func outside the run, without the session language.
ALL_LABEL = t("f_all")
BUCKET_LABELS = {b: segment("bucket", b) for b in BUCKETS}
# Every filter is a stable code bound to the URL (urlstate): a language switch keeps it, Back restores it.
urlstate.bind("od_bank", ALL, param="bank", valid=lambda v: v == ALL or v in banks)
urlstate.bind("od_guarantor", ALL, param="guarantor", valid=lambda v: v == ALL or v in guarantors)
urlstate.bind("od_buckets", [], urlstate.LIST, param="bucket", valid=lambda v: set(v) <= set(BUCKETS))
f = st.columns([1, 1, 2])
bank = f[0].selectbox(t("f_bank"), [ALL, *banks], format_func=lambda v: ALL_LABEL if v == ALL else v,
                      key="od_bank", filter_mode=None)
guarantor = f[1].selectbox(t("f_guarantor"), [ALL, *guarantors],
                           format_func=lambda v: ALL_LABEL if v == ALL else v, key="od_guarantor",
                           filter_mode=None)
# no bucket picked = every bucket
buckets = f[2].multiselect(t("f_bucket"), BUCKETS, key="od_buckets", placeholder=t("f_all"),
                           format_func=BUCKET_LABELS.get, filter_mode=None, select_all=False) or list(BUCKETS)
scope = tuple((k, v) for k, v in (("bank", bank), ("guarantor", guarantor)) if v)
d = data.overdue(ctx.db, ctx.profile, ctx.as_of, ctx.batch, scope)

table, bounds = d["list"], d["bounds"]
max_dpd, max_wan = max(bounds["max_dpd"], 2), fmt.wan_slider_max(bounds["max_outstanding"])
urlstate.bind("od_dpd", (1, max_dpd), urlstate.INT_RANGE, param="dpd",
              valid=lambda v: 1 <= v[0] <= v[1] <= max_dpd)
urlstate.bind("od_amount", (0.0, max_wan), urlstate.FLOAT_RANGE, param="amount",
              valid=lambda v: 0.0 <= v[0] <= v[1] <= max_wan)
f = st.columns(2)
dpd_range = f[0].slider(t("f_dpd"), 1, max_dpd, key="od_dpd")
amount_range = f[1].slider(t("f_amount"), 0.0, max_wan, key="od_amount")
# A range slider can hand back a 1-tuple while dragging (STYLE.md): never unpack blindly.
dpd_range = (tuple(dpd_range) + (max_dpd,))[:2]
lo_amt, hi_amt = (tuple(amount_range) + (max_wan,))[:2]
table = data.narrow_overdue(table, buckets, dpd_range, (fmt.yuan(lo_amt), fmt.yuan(hi_amt)))

ageing = translate(d["ageing"][d["ageing"]["bucket"] != "current"], {"bucket": "bucket"})
charts.show(charts.bar_chart(fmt.to_wan(ageing, ["balance"]), "bucket", "balance", t("ch_ageing_title"),
                             y_title=t("ch_balance_wan"), x_title=t("ch_bucket")), key="ageing_chart")

# What a risk officer acts on comes first and must fit a 1440 px screen without scrolling: loan,
# enterprise, bank, balance, DPD bar, alert date, claim status, days left (fixed pixel widths add up
# to about 970 px beside the row selector); guarantor and the rest follow on the right.
cols = ["loan_id", "enterprise_name", "bank", "outstanding", "dpd", "alert_since", "claim_status", "days_left",
        "guarantor", "bucket", "risk_class", "oldest_unpaid_due", "deadline", "credit_code"]
st.subheader(t("overdue_table", n=len(table)))
st.caption(t("select_loan_hint"))
event = fmt.labelled_table(
    table, cols, "overdue_table", on_select="rerun", selection_mode="single-row", export="overdue",
    codes={"bucket": "bucket", "risk_class": "risk_class", "claim_status": "claim_status", "guarantor": "guarantor"},
    texts={"days_left": fmt.days_left_texts(table["days_left"])}, link_loans=False,
    config={"loan_id": st.column_config.TextColumn(column("loan_id"), width=110),
            "enterprise_name": st.column_config.TextColumn(column("enterprise_name"), width=150),
            "bank": st.column_config.TextColumn(column("bank"), width=130),
            "outstanding": fmt.money_column(column("outstanding"), width=115),
            "dpd": st.column_config.ProgressColumn(column("dpd"), min_value=0, max_value=max(max_dpd, 90),
                                                   format=f"%d {t('unit_days')}", width=120),
            "alert_since": fmt.date_column(column("alert_since"), width=105),
            "claim_status": st.column_config.TextColumn(column("claim_status"), width=95),
            "days_left": st.column_config.TextColumn(column("days_left"), width=110)})
show = table[cols]
picked = None
selected = event.selection.rows if event is not None and hasattr(event, "selection") else []
if selected:
    picked = show.iloc[selected[0]]["loan_id"]
# or searched: the picker's labels carry enterprise and credit code, so typing 正邦 finds the loan
search = data.loan_index(ctx.db, ctx.batch)
c = st.columns([3, 1])
choice = c[0].selectbox(t("choose_loan"), list(show["loan_id"]), key="od_pick", index=None,
                        format_func=search.get, placeholder=t("search_loan"))
if c[1].button(t("open_detail"), key="od_open") and choice is not None:
    picked = choice
if picked:
    urlstate.switch("views/loan.py", loan=picked)  # this page's filters stay in its URL: Back restores them
