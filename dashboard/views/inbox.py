"""预警消息 Alert inbox (R-NOTIFY): the alert run's events in the signed-in account's scope (R-SCOPE),
newest first, filtered by kind, acknowledged one by one (who, when); for the bureau, each bank's data
freshness beside them (R-FRESH: last file, its rows and rejects, missing months)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state
from dashboard.i18n import t
from dashboard.labels import segment
from queries.labels import SECTIONS

ctx = state.page_with_loans("page_inbox")

kind = st.selectbox(t("inbox_kind"), [None, *data.alert_kinds()], key="inbox_kind",
                    format_func=lambda k: t("inbox_all") if k is None else segment("alert_kind", k),
                    filter_mode=None)
box = data.inbox(ctx.db, kind)
st.metric(t("inbox_unacked"), fmt.count(box["unacknowledged"]), border=True)

if box["rows"].empty:
    st.info(t("inbox_empty"))
else:
    fmt.labelled_table(box["rows"], SECTIONS["inbox"], key="inbox_table", codes={"alert_kind": "alert_kind"})

if box["open"] and data.can_acknowledge():
    with st.form("inbox_ack_form"):
        picked = st.multiselect(t("inbox_pick"), box["open"], key="inbox_pick", placeholder=t("inbox_pick_hint"),
                                select_all=False,
                                format_func=lambda code: f"{segment('alert_kind', code.split('|')[0])} · "
                                                         f"{code.split('|', 1)[1]}")
        if st.form_submit_button(t("inbox_ack")) and picked:
            st.success(t("inbox_acked", n=data.acknowledge(ctx.db, picked)))
            st.rerun()
elif box["open"]:
    st.caption(t("inbox_no_user"))

st.subheader(t("fresh_title"))
fresh = data.freshness_table(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
if fresh.empty:
    st.info(t("no_rows"))
else:
    fmt.labelled_table(fresh, SECTIONS["freshness"], key="fresh_table")
