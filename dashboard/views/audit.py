"""审计日志 Audit log (R-SCOPE, bureau only): sign-ins (also failed), sign-outs, loan views,
downloads, imports, user changes and CLI ingests (pipelines.audit), newest first, filtered by user,
action and date (UTC days)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, fmt, state
from dashboard.i18n import t

ctx = state.current()
st.title(t("page_audit"))
if not auth.may_open(ctx.role, "audit"):  # app.py does not register the page for others; belt and braces
    st.error(t("page_refused"))
    st.stop()

names = auth.audit_usernames(ctx.db)
actions = {a: t(f"act_{a}") for a in auth.ACTIONS}
c = st.columns(4)
user = c[0].selectbox(t("audit_user"), [None, *names], key="audit_user",
                      format_func={None: t("audit_any"), **{n: n for n in names}}.get, filter_mode=None)
action = c[1].selectbox(t("audit_action"), [None, *actions], key="audit_action",
                        format_func={None: t("audit_any"), **actions}.get, filter_mode=None)
start = c[2].date_input(t("audit_from"), value=None, key="audit_from", format="YYYY-MM-DD")
end = c[3].date_input(t("audit_to"), value=None, key="audit_to", format="YYYY-MM-DD")

rows = auth.audit_rows(ctx.db, user, action, start, end)
st.caption(t("audit_rows", n=len(rows)))
if rows.empty:
    st.caption(t("no_rows"))
    st.stop()
shown = rows.copy()
shown["action"] = [actions.get(a, a) for a in shown["action"]]
shown["role"] = [t(f"role_{r}") if r else "" for r in shown["role"]]
shown["source"] = [fmt.audit_source(v) for v in shown["source"]]
cols = ["happened_at", "username", "role", "organisation", "action", "object", "detail", "source"]
fmt.table(shown[cols], key="audit_table", column_config={c_: t(f"audit_col_{c_}") for c_ in cols})
