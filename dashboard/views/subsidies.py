"""补贴 Subsidies (R-SUB): eligible against paid by year, kind, bank and enterprise; years whose
policy the bureau has not confirmed are marked (queries.subsidies.comparison)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state
from dashboard.i18n import t
from dashboard.labels import column, segment

ctx = state.page_with_loans("page_subsidies")

d = data.subsidy_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
totals, by = d["totals"], d["by"]

c = st.columns(3)
c[0].metric(fmt.wan_label(t("m_eligible")), fmt.wan_number(totals["eligible"]), border=True)
c[1].metric(fmt.wan_label(t("m_paid")), fmt.wan_number(totals["paid"]), border=True)
c[2].metric(fmt.wan_label(t("m_difference")), fmt.wan_number(totals["difference"]), border=True)
if totals["unconfirmed"]:
    st.warning(t("unconfirmed_note"))

MONEY = ["eligible", "paid", "difference"]


def show_table(frame, key_col, key, dimension=None):
    frame = frame.copy()
    if dimension:
        frame[key_col] = [segment(dimension, v) for v in frame[key_col]]
    frame["confirmed"] = [t("confirmed") if v else t("unconfirmed") for v in frame["confirmed"]]
    config = {key_col: column(key_col), "confirmed": column("confirmed")}
    config.update({m: fmt.money_column(column(m)) for m in MONEY})
    fmt.table(fmt.to_wan(frame, MONEY), hide_index=True, column_config=config, key=key)


tabs = st.tabs([t("by_year"), t("by_kind"), t("by_bank"), t("by_enterprise")])
with tabs[0]:
    year = by["year"].copy()
    long = year.melt(id_vars=["year"], value_vars=["eligible", "paid"], var_name="side", value_name="amount")
    long["side"] = [column(s) for s in long["side"]]
    long["amount"] = long["amount"].map(float) / 10000
    fmt.show(fmt.bar_chart(long, "year", "amount", t("by_year"), colour="side", stacked=False,
                           y_title=t("ch_amount_wan")), key="sub_year_chart")
    show_table(by["year"], "year", "sub_year")
with tabs[1]:
    show_table(by["kind"], "kind", "sub_kind", dimension="kind")
with tabs[2]:
    show_table(by["bank"], "bank", "sub_bank")
with tabs[3]:
    show_table(by["enterprise"], "enterprise_name", "sub_enterprise")
