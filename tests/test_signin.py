"""Sign-in through the dashboard (R-SCOPE), driven by AppTest on a private copy of the demo database:
the generic error, the lock-out (5 failures → 15 minutes, also against the right password), the
signed-in context and the pages each role may open, a refused URL, reload, sign-out, idle timeout,
a disabled account; and the identity-provider claim mapping (pure) with its account check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard import auth, state
from pipelines import audit, store, users
from tests.dashboard_fixtures import APP, private_copy

PASSWORD = "Anyi-county-2026!"
GENERIC = "用户名或密码错误 / username or password wrong"
BANK, GUARANTOR = "江西银行安义支行", "安义县融资担保有限公司"
EVERY_PAGE = {"overview", "overdue", "outlook", "loan", "collateral", "compensation", "compliance", "subsidies",
              "reports", "data_import", "audit", "inbox"}
# R-SCOPE's table, written out by hand: who may open which page
PAGES_OF = {
    "admin": EVERY_PAGE,
    "analyst": EVERY_PAGE - {"data_import"},
    "jx_bank": EVERY_PAGE - {"data_import", "audit"},
    "ay_guarantor": EVERY_PAGE - {"data_import", "audit"},
    "gz_appraiser": EVERY_PAGE - {"data_import", "audit"},
}
ACCOUNTS = {"admin": ("bureau_admin", None), "analyst": ("bureau_viewer", None), "jx_bank": ("bank", BANK),
            "ay_guarantor": ("guarantor", GUARANTOR), "gz_appraiser": ("appraiser", "江西赣正资产评估有限公司")}


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    """A copy of the demo database whose demo accounts have PASSWORD; the app reads it."""
    path = private_copy(demo_db, tmp_path / "signin.duckdb")
    with store.write_connection(path) as con:
        for name in ACCOUNTS:
            users.set_password(con, name, PASSWORD, source="test")
    monkeypatch.setenv("PLEDGEWATCH_DB", str(path))
    monkeypatch.delenv("PLEDGEWATCH_IDLE_MINUTES", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()  # also the server-side session table
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def fresh(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(query or {})
    return at


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_user").input(username)
    at.text_input(key="signin_password").input(password)
    [button] = at.button  # the form's submit button is the sign-in page's only button
    button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def registered(at: AppTest) -> set[str]:
    """The page files (views/<name>.py) st.navigation registered in the last run: what the sidebar
    offers and the only URLs that open a page."""
    return {Path(info["script_path"]).stem for info in at._registered_pages.values()}  # noqa: SLF001


def audit_rows(db, action=None):
    with store.read_connection(db) as con:
        return con.execute("select action, username, role, organisation, object, detail from audit_log "
                           "where source = 'app' and (? is null or action = ?) order by audit_id",
                           [action, action]).fetchall()


def test_until_signed_in_every_url_shows_the_signin_page_only(db):
    at = fresh().run()
    assert [t.value for t in at.title] == ["登录"]
    assert registered(at) == {"signin"}
    at._page_hash = calc_hash("overdue")  # noqa: SLF001 - the browser asking for /overdue
    at.run()
    assert [t.value for t in at.title] == ["登录"] and not at.metric and not at.dataframe


@pytest.mark.parametrize("who", ["admin", "nobody"])
def test_a_wrong_password_or_unknown_user_gets_the_generic_error(db, who):
    at = submit(fresh().run(), who, "not-the-password")
    assert [e.value for e in at.error] == [GENERIC]
    assert [t.value for t in at.title] == ["登录"] and state.KEY not in at.session_state
    role = "bureau_admin" if who == "admin" else None
    assert audit_rows(db) == [("sign_in_failed", who, role, None, who, "wrong" if who == "admin" else "unknown")]


def test_five_failures_lock_the_account_for_15_minutes_even_for_the_right_password(db):
    at = fresh().run()
    before = audit.now()
    for i in range(5):
        submit(at, "jx_bank", f"guess-{i}")
        assert [e.value for e in at.error] == [GENERIC]
    after = audit.now()
    submit(at, "jx_bank", PASSWORD)  # the right password, inside the 15 minutes
    assert [e.value for e in at.error] == [GENERIC]
    assert [t.value for t in at.title] == ["登录"]
    with store.read_connection(db) as con:
        [(locked_until,)] = con.execute("select locked_until from users where username = 'jx_bank'").fetchall()
    assert before + dt.timedelta(minutes=15) <= locked_until <= after + dt.timedelta(minutes=15)
    details = [r[5] for r in audit_rows(db, "sign_in_failed")]
    assert details == ["wrong"] * 4 + ["wrong, locked", "locked"]


@pytest.mark.parametrize("who", sorted(ACCOUNTS))
def test_sign_in_sets_the_context_and_registers_only_the_roles_pages(db, who):
    at = submit(fresh().run(), who, PASSWORD)
    assert not at.error
    role, org = ACCOUNTS[who]
    ctx = at.session_state[state.KEY]
    assert (ctx.username, ctx.role, ctx.organisation) == (who, role, org)
    assert ctx.scope == (() if org is None else ((role, org),))
    assert registered(at) == PAGES_OF[who]
    assert at.title[0].value == "总览"
    assert "signin_password" not in at.session_state  # the form's widget is gone with its value
    assert audit_rows(db, "sign_in") == [("sign_in", who, role, org, who, None)]


def test_the_import_url_is_refused_for_a_bank_user(db):
    at = submit(fresh().run(), "jx_bank", PASSWORD)
    at._page_hash = calc_hash("import")  # noqa: SLF001 - the browser asking for /import
    at.run()
    assert at._finished_page_script_hash == calc_hash("overview")  # noqa: SLF001 - not found: the default page
    assert at.title[0].value == "总览" and not at.get("file_uploader")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/data_import.py")
    for path in ("import", "audit"):
        assert not auth.may_open("bank", path)


def test_a_reload_keeps_the_session_and_sign_out_ends_it(db):
    at = submit(fresh().run(), "ay_guarantor", PASSWORD)
    token = at.query_params[auth.TOKEN_PARAM]
    token = token[0] if isinstance(token, list) else token
    assert len(token) >= 40 and PASSWORD not in token
    # a reload: a new session (empty session state) on the same URL
    again = fresh({auth.TOKEN_PARAM: token}).run()
    assert again.title[0].value == "总览"
    assert again.session_state[state.KEY].organisation == GUARANTOR
    # the URL keeps the token after a page switch, which clears query parameters
    again.switch_page("views/overdue.py").run()
    assert again.query_params[auth.TOKEN_PARAM] in (token, [token])
    again.sidebar.button(key="sign_out").click().run()
    assert [t.value for t in again.title] == ["登录"]
    assert auth.TOKEN_PARAM not in again.query_params
    # the old token no longer opens anything
    assert [t.value for t in fresh({auth.TOKEN_PARAM: token}).run().title] == ["登录"]
    assert fresh({auth.TOKEN_PARAM: "forged-token"}).run().title[0].value == "登录"
    assert audit_rows(db, "sign_out") == [("sign_out", "ay_guarantor", "guarantor", GUARANTOR, "ay_guarantor", None)]


def test_an_idle_session_is_signed_out(db, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_IDLE_MINUTES", "20")
    at = submit(fresh().run(), "analyst", PASSWORD)
    at.session_state[auth.SEEN_KEY] = audit.now() - dt.timedelta(minutes=21)  # last run 21 minutes ago
    at.run()
    assert [t.value for t in at.title] == ["登录"]
    assert [i.value for i in at.info] == ["20 分钟无操作，已自动退出登录，请重新登录。"]
    assert audit_rows(db, "sign_out") == [("sign_out", "analyst", "bureau_viewer", None, "analyst", "idle")]


def test_a_disabled_account_is_signed_out_on_its_next_run(db):
    at = submit(fresh().run(), "gz_appraiser", PASSWORD)
    with store.write_connection(db) as con:
        users.disable(con, "gz_appraiser", source="test")
    at.run()
    assert [t.value for t in at.title] == ["登录"]
    assert audit_rows(db, "sign_out")[0][5] == "disabled"


def test_server_sessions_expire_and_belong_to_one_client():
    table, t0 = auth.Sessions(), dt.datetime(2026, 5, 1, 8, 0)
    account = users.Account("jx_bank", "bank", BANK)
    token = table.create(account, "client-a", t0)
    idle = dt.timedelta(minutes=30)
    assert table.resume(token, "client-b", t0, idle) is None            # another browser / address
    assert table.resume(token, "client-a", t0 + dt.timedelta(minutes=29), idle).account == account
    assert table.resume(token, "client-a", t0 + dt.timedelta(minutes=58), idle).account == account  # 29 min later
    assert table.resume(token, "client-a", t0 + dt.timedelta(minutes=89), idle) is None  # 31 min idle: gone
    assert table.resume(token, "client-a", t0 + dt.timedelta(minutes=90), idle) is None


# ---------------------------------------------------------------- identity provider (st.login)

SETTINGS = {"username_claim": "preferred_username", "role_claim": "groups", "organisation_claim": "org",
            "role_values": {"pw-admins": "bureau_admin", "pw-banks": "bank"}}


@pytest.mark.parametrize(("claims", "expected"), [
    ({"preferred_username": "li.wei", "groups": ["staff", "pw-admins"]}, ("li.wei", "bureau_admin", None)),
    ({"preferred_username": "li.wei", "groups": "pw-admins", "org": BANK}, ("li.wei", "bureau_admin", None)),
    ({"preferred_username": " zhang ", "groups": ["pw-banks"], "org": f" {BANK} "}, ("zhang", "bank", BANK)),
    ({"preferred_username": "g1", "groups": "guarantor", "org": GUARANTOR}, ("g1", "guarantor", GUARANTOR)),
])
def test_claims_map_to_an_account(claims, expected):
    assert auth.map_claims(claims, SETTINGS) == users.Account(*expected)


@pytest.mark.parametrize(("claims", "message"), [
    ({"groups": ["pw-admins"]}, "no username claim preferred_username"),
    ({"preferred_username": "x", "groups": ["staff"]}, "must map to exactly one role (got [])"),
    ({"preferred_username": "x", "groups": ["pw-admins", "pw-banks"], "org": BANK},
     "(got ['bank', 'bureau_admin'])"),
    ({"preferred_username": "x", "groups": ["pw-banks"]}, "role bank needs the organisation claim org"),
    ({"preferred_username": "x", "groups": 7}, "(got [])"),
])
def test_claims_that_name_no_single_account_are_refused(claims, message):
    with pytest.raises(auth.MappingError) as err:
        auth.map_claims(claims, SETTINGS)
    assert message in err.value.message_en and err.value.message_zh


def test_default_claim_names():
    claims = {"email": "a@b.cn", "pledgewatch_role": "appraiser", "pledgewatch_organisation": "评估所"}
    assert auth.map_claims(claims, {}) == users.Account("a@b.cn", "appraiser", "评估所")


def test_a_mapped_account_must_exist_and_match_unless_creation_is_configured(db):
    ok = users.external_sign_in(db, users.Account("jx_bank", "bank", BANK))
    assert ok.account == users.Account("jx_bank", "bank", BANK)
    wider = users.external_sign_in(db, users.Account("jx_bank", "bureau_admin", None))
    assert wider.account is None and "account is bank/" in wider.reason   # the provider cannot widen a scope
    assert users.external_sign_in(db, users.Account("new.one", "bank", BANK)).reason == "unknown"
    made = users.external_sign_in(db, users.Account("new.one", "bank", BANK), create_missing=True)
    assert made.account == users.Account("new.one", "bank", BANK)
    bad = users.external_sign_in(db, users.Account("new.two", "bank", "不存在的银行"), create_missing=True)
    assert bad.account is None and "no loan in the ledgers names '不存在的银行'" in bad.reason
    with store.read_connection(db) as con:
        rows = con.execute("select action, username, detail, source from audit_log where source = 'oidc' "
                           "order by audit_id").fetchall()
        hashes = con.execute("select password_hash from users where username = 'new.one'").fetchall()
    assert [r[:2] for r in rows] == [("sign_in", "jx_bank"), ("sign_in_failed", "jx_bank"),
                                     ("sign_in_failed", "new.one"), ("user_add", "new.one"), ("sign_in", "new.one"),
                                     ("sign_in_failed", "new.two")]
    assert hashes == [(None,)]  # created without a password: it signs in through the provider only
