"""代偿与损失 Compensation: claims with deadline, expected and received per party and status (R-COMP);
loss sharing with recoveries (R-LOSS); enterprises banned until their end date (R-BAN)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state
from dashboard.i18n import t
from dashboard.labels import column, translate

ctx = state.page_with_loans("page_compensation")

d = data.compensation(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
claims, loss, bans = d["claims"], d["loss"], d["bans"]

counts = d["counts"]
c = st.columns(4)
c[0].metric(t("m_claims_pending"), fmt.count(counts["pending"]), border=True)
c[1].metric(t("m_claims_late"), fmt.count(counts["late"]), border=True)
c[2].metric(t("m_claims_settled"), fmt.count(counts["settled"]), border=True)
c[3].metric(t("m_banned"), fmt.count(d["bans_in_force"]), border=True, help=t("bans"))

MONEY_CLAIMS = ["outstanding_at_notice", "expected_guarantor", "received_guarantor", "expected_appraiser",
                "received_appraiser"]
st.subheader(t("claims"))
if len(claims):
    cols = ["loan_id", "enterprise_name", "bank", "guarantor", "notice_on", "deadline", "days_left", "status",
            *MONEY_CLAIMS, "dpd_at_notice", "premature", "settled_on"]
    shown = translate(fmt.to_wan(claims[cols], MONEY_CLAIMS), {"status": "claim_status", "guarantor": "guarantor"})
    config = {c: column(c) for c in cols}
    config.update({m: fmt.money_column(column(m)) for m in MONEY_CLAIMS})
    config.update({c: fmt.date_column(column(c)) for c in ("notice_on", "deadline", "settled_on")})
    config["days_left"] = st.column_config.NumberColumn(column("days_left"), format="%d")
    config["premature"] = st.column_config.CheckboxColumn(column("premature"))
    fmt.table(shown, hide_index=True, column_config=config, key="claims_table")
else:
    st.caption(t("no_rows"))

st.subheader(t("loss_sharing"))
if len(loss):
    money = ["principal_loss", "loss_part", "recovered", "recovery_part", "net_loss"]
    cols = ["loan_id", "enterprise_name", "notice_on", "party", "party_name", "loss_share", *money]
    shown = translate(fmt.to_pct(fmt.to_wan(loss[cols], money), ["loss_share"]), {"party": "party"})
    config = {c: column(c) for c in cols}
    config.update({m: fmt.money_column(column(m)) for m in money})
    config["notice_on"] = fmt.date_column(column("notice_on"))
    config["loss_share"] = fmt.ratio_column(column("loss_share"))
    fmt.table(shown, hide_index=True, column_config=config, key="loss_table")
else:
    st.caption(t("no_rows"))

st.subheader(t("bans"))
if len(bans):
    cols = ["credit_code", "enterprise_name", "notice_on", "ban_until", "active", "loan_ids"]
    shown = bans[cols]
    config = {c: column(c) for c in cols}
    config.update({"notice_on": fmt.date_column(column("notice_on")),
                   "ban_until": fmt.date_column(column("ban_until")),
                   "active": st.column_config.CheckboxColumn(t("ban_active"))})
    fmt.table(shown, hide_index=True, column_config=config, key="bans_table")
else:
    st.caption(t("no_rows"))
