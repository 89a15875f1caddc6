"""PledgeWatch dashboard router: page config, language switch, sidebar, navigation.

Run with ``streamlit run dashboard/app.py``. Pages live in ``dashboard/views/`` (not a
folder named ``pages/``, which st.navigation ignores), one module per page, each with
a stable ASCII url_path. Everything a page shows comes from ``dashboard.data``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

# `streamlit run` puts only this file's folder on sys.path; the packages live one level up.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, data, fmt, state, urlstate  # noqa: E402
from dashboard.i18n import LANG_NAMES, LANGS, t  # noqa: E402

# (file, url_path, title key, icon, section)
PAGES = (
    ("views/overview.py", "overview", "page_overview", ":material/dashboard:", "section_monitor"),
    ("views/overdue.py", "overdue", "page_overdue", ":material/warning:", "section_monitor"),
    ("views/outlook.py", "outlook", "page_outlook", ":material/trending_up:", "section_monitor"),
    ("views/loan.py", "loan", "page_loan", ":material/description:", "section_monitor"),
    ("views/collateral.py", "collateral", "page_collateral", ":material/verified_user:", "section_monitor"),
    ("views/compensation.py", "compensation", "page_compensation", ":material/payments:", "section_monitor"),
    ("views/compliance.py", "compliance", "page_compliance", ":material/rule:", "section_monitor"),
    ("views/subsidies.py", "subsidies", "page_subsidies", ":material/savings:", "section_monitor"),
    ("views/reports.py", "reports", "page_reports", ":material/download:", "section_manage"),
    ("views/data_import.py", "import", "page_import", ":material/upload_file:", "section_manage"),
    ("views/inbox.py", "inbox", "page_inbox", ":material/notifications:", "section_monitor"),
    ("views/audit.py", "audit", "page_audit", ":material/history:", "section_manage"),
)

# A shipped icon file: a ":material/…:" page icon makes the browser fetch it from a Google font CDN,
# unreachable on a county intranet and blocked in mainland China (STYLE.md).
st.set_page_config(page_title="PledgeWatch", page_icon=str(ROOT / "dashboard" / "icon.png"), layout="wide")

# Page state lives in the URL as stable codes (dashboard/urlstate.py): the sidebar's language,
# profile and as-of date are restored from it first, and bound so a page switch keeps them.
urlstate.start()
names = data.profile_names()
db = data.db_path()
batch = data.batch_key(db)
latest = data.latest_date(db, batch)
urlstate.bind("lang", "zh", param="lang", valid=lambda v: v in LANGS)
urlstate.bind("profile", data.default_profile(), param="profile", valid=lambda v: v in names)
urlstate.bind("as_of", latest or data.today(), urlstate.DATE, param="asof")

with st.sidebar:
    lang = st.radio("语言 / Language", LANGS, format_func=LANG_NAMES.get, key="lang", horizontal=True)
    st.markdown(f"**{t('app_title')}**")
st.html(f"<style>{fmt.page_css()}</style>")  # our words over Streamlit's English (fmt.page_css)

# Until signed in, every URL shows the sign-in page only (R-SCOPE; dashboard/auth.py).
account = auth.current(db)
if account is None:
    st.navigation([st.Page("views/signin.py", title=t("page_signin"), url_path="signin", default=True)],
                  position="hidden").run()
    # the form is on screen: the server fills the overview's caches while the password is typed
    data.warm(db, batch, latest)
    st.stop()

with st.sidebar:
    titles = {n: data.profile_title(n) for n in names}  # labels as data: format_func may run outside the run
    # a radio, not a selectbox: a program's title is long ("安义县“安知贷”知识产权质押融资") and a
    # selectbox's one-line input cut it off in the sidebar; a radio's labels wrap
    profile_name = st.radio(t("profile"), names, format_func=titles.get, key="profile")
    as_of = st.date_input(t("as_of"), key="as_of", format="YYYY-MM-DD")
    st.caption(f"{t('db')}: {fmt.md_text(Path(db).name)}")
    if batch < 0:
        st.warning(t("db_missing", path=fmt.md_text(db)))
    org = f" · {account.organisation}" if account.organisation else ""
    st.caption(fmt.md_text(t("signed_in_as", user=account.username, role=t(f"role_{account.role}"), org=org)))
    st.button(t("sign_out"), on_click=auth.sign_out, key="sign_out")

state.set_current(state.Ctx(db=db, profile=profile_name, as_of=as_of, batch=batch, lang=lang,
                            has_loans=latest is not None, username=account.username, role=account.role,
                            organisation=account.organisation, scope=auth.scope_pairs(account)))
unacked = data.unacknowledged(db)  # R-NOTIFY: the signed-in account's alerts not acknowledged yet
if unacked is not None:
    st.sidebar.caption(t("inbox_unacked_n", n=unacked))

sections: dict[str, list] = {}
for file, url_path, title_key, icon, section in PAGES:
    if not auth.may_open(account.role, url_path):  # not registered: its URL answers "page not found"
        continue
    sections.setdefault(t(section), []).append(
        st.Page(file, title=t(title_key), icon=icon, url_path=url_path, default=url_path == "overview"))
try:
    st.navigation(sections).run()
except Exception:  # a page failed: a bilingual word for the user, the detail in the server log only
    logging.getLogger("pledgewatch").exception("page failed")
    st.error(t("page_failed"))
finally:  # also after st.stop(): the view's codes go to the URL in one update
    urlstate.finish()
