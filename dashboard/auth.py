"""Sign-in, sign-out, idle timeout, page permissions and the dashboard's audit rows (R-SCOPE).

Session mechanism. Streamlit 1.67 cannot write a cookie (st.context.cookies is read-only;
streamlit/streamlit#14730 is still open) and session state dies with the browser tab's websocket,
so a reload would sign the user out. We keep signed-in sessions on the server, in one dict shared
by all sessions (st.cache_resource), keyed by the SHA-256 of a random 256-bit token; the token
itself rides in the URL as ``?s=…`` (st.query_params) and app.py puts it back on every run, so a
reload or a new tab on the same URL resumes the session. It is revocable (sign-out deletes it,
a disabled account is refused on the next run), expires after PLEDGEWATCH_IDLE_MINUTES (default
30) without a run, and is bound to the browser's User-Agent and address, so a URL pasted
elsewhere does not carry the session; a server restart signs everyone out. Never a password in it.

With an identity provider (``.streamlit/secrets.toml`` [auth] and a claim-mapping file, see
``oidc_settings``) the sign-in page offers st.login; Streamlit's own signed cookie keeps that
sign-in across reloads, and ``map_claims`` turns the ID token's claims into an account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import state
from pipelines import audit, store, users
from pipelines.users import Account

ROOT = Path(__file__).resolve().parent.parent
TOKEN_PARAM = "s"
ACCOUNT_KEY, SEEN_KEY, TOKEN_KEY, LOAN_KEY, SOURCE_KEY = "pw_account", "pw_seen", "pw_token", "pw_last_loan", "pw_source"
DEFAULT_IDLE_MINUTES = 30
# Pages not every role may open (by url_path); every other page is open to all roles (R-SCOPE).
PAGE_ROLES = {"import": ("bureau_admin",), "audit": users.BUREAU_ROLES}
ACTIONS, MAX_FAILURES, LOCK_MINUTES = audit.ACTIONS, users.MAX_FAILURES, users.LOCK_MINUTES


def idle_minutes() -> int:
    """Minutes without any run after which a session ends ($PLEDGEWATCH_IDLE_MINUTES, default 30)."""
    raw = os.environ.get("PLEDGEWATCH_IDLE_MINUTES", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else DEFAULT_IDLE_MINUTES


def may_open(role: str, url_path: str) -> bool:
    """Whether ``role`` may open the page at ``url_path`` (app.py registers only those)."""
    return role in PAGE_ROLES.get(url_path, users.ROLES)


def scope_pairs(account: Account) -> tuple:
    """The account's R-SCOPE filter as sorted (key, value) pairs, () for the bureau (state.Ctx.scope)."""
    from queries import runner

    return tuple(sorted((runner.scope_for(account.role, account.organisation) or {}).items()))


# ---------------------------------------------------------------- server-side sessions

@dataclass
class _Session:
    account: Account
    client: str
    seen: dt.datetime
    source: str


class Sessions:
    """Signed-in sessions by token hash; thread-safe (one dict for every browser session)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_hash: dict[str, _Session] = {}

    @staticmethod
    def _hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def create(self, account: Account, client: str, now: dt.datetime, source: str = "app") -> str:
        """A new random token for ``account`` (its hash is all that is kept)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._by_hash[self._hash(token)] = _Session(account, client, now, source)
        return token

    def resume(self, token: str, client: str, now: dt.datetime, idle: dt.timedelta) -> _Session | None:
        """The session of ``token`` if it exists, belongs to this client and was used within ``idle``
        (then marked used now); an idle one is dropped."""
        key = self._hash(token)
        with self._lock:
            found = self._by_hash.get(key)
            if found is None or not hmac.compare_digest(found.client, client):
                return None
            if now - found.seen > idle:
                del self._by_hash[key]
                return None
            found.seen = now
            return found

    def drop(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._by_hash.pop(self._hash(token), None)


@st.cache_resource(show_spinner=False)
def sessions() -> Sessions:
    """The process's one session table."""
    return Sessions()


def _client() -> str:
    """A digest of the browser's User-Agent and address: a token only works from where it was made."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
        address = st.context.ip_address
    except Exception:  # no request context
        agent, address = "", ""
    address = address if isinstance(address, str) else ""  # None on localhost; AppTest hands a mock
    return hashlib.sha256(f"{agent}\n{address}".encode()).hexdigest()


# ---------------------------------------------------------------- audit rows from the app

def _write(db, account: Account | None, action: str, obj: str | None, detail: str | None) -> None:
    audit.write(db, audit.Entry(action, username=account.username if account else None,
                                role=account.role if account else None,
                                organisation=account.organisation if account else None,
                                object=obj, detail=detail))


def _db() -> str:
    ctx = st.session_state.get(state.KEY)
    return ctx.db if ctx is not None else str(store.resolve_db())


def record(action: str, obj: str | None = None, detail: str | None = None, account: Account | None = None) -> None:
    """Append one audit row for the signed-in account (R-SCOPE): source 'app'."""
    _write(_db(), account or st.session_state.get(ACCOUNT_KEY), action, obj, detail)


def _download_detail(as_of) -> str:
    scope = ",".join(f"{k}:{v}" for k, v in state.scope()) or "all"
    return f"as_of={as_of.isoformat() if hasattr(as_of, 'isoformat') else as_of} scope={scope}"


def loan_viewed(loan_id: str) -> None:
    """A loan-view row, once per loan shown in a row (a widget change on the page does not repeat it)."""
    if st.session_state.get(LOAN_KEY) != loan_id:
        st.session_state[LOAN_KEY] = loan_id
        record("loan_view", loan_id)


def downloaded(report: str, as_of) -> None:
    """on_click of a download button: which report, for which date (and the scope it was built on)."""
    record("download", report, _download_detail(as_of))


def audited(make, report: str, as_of):
    """``make`` (a download button's deferred data callable) wrapped so that building the file writes
    the download row. For buttons with on_click="ignore": the callable may run outside the script
    run, so the account, database and scope are taken now, when the button is drawn."""
    db, account, detail = _db(), st.session_state.get(ACCOUNT_KEY), _download_detail(as_of)

    def build():
        _write(db, account, "download", report, detail)
        return make()

    return build


def imported(file_name: str, content: bytes, results) -> None:
    """Import rows from the import page: the file, its SHA-256 and each batch it made."""
    digest = hashlib.sha256(content).hexdigest()
    for r in results:
        record("import", file_name + (f" [{r.sheet}]" if r.sheet else ""),
               f"sha256={digest} batch={r.batch_id} outcome={r.outcome} rows_loaded={r.rows_loaded} "
               f"rows_rejected={r.rows_rejected}")


def audit_rows(db: str, username=None, action=None, date_from=None, date_to=None):
    """The audit page's rows, newest first (read fresh each run: the log grows as people work)."""
    with store.read_connection(db) as con:
        return audit.rows(con, username, action, date_from, date_to)


def audit_usernames(db: str) -> list[str]:
    """The usernames in the audit log, for the audit page's filter."""
    with store.read_connection(db) as con:
        return audit.usernames(con)


# ---------------------------------------------------------------- sign-in, sign-out, the gate

def sign_in(db: str, username: str, password: str) -> str:
    """Check a password (pipelines.users.authenticate: lock-out, audit row); on success start the
    session. Returns 'ok', 'failed' (the generic answer, whatever the reason) or 'busy'."""
    if not Path(db).exists():  # no database, no accounts; and never create one by signing in
        return "failed"
    try:
        outcome = users.authenticate(db, username, password)
    except store.StoreLocked:
        return "busy"
    if outcome.account is None:
        return "failed"
    _start(outcome.account, "app")
    return "ok"


def _start(account: Account, source: str) -> None:
    now = audit.now()
    token = sessions().create(account, _client(), now, source)
    st.session_state.update({ACCOUNT_KEY: account, SEEN_KEY: now, TOKEN_KEY: token, SOURCE_KEY: source})
    st.query_params[TOKEN_PARAM] = token


def sign_out(reason: str | None = None) -> None:
    """End the session (the sidebar button's on_click, or idle / disabled): an audit row, the token
    revoked, the URL's token removed; an identity-provider sign-in also leaves Streamlit's cookie."""
    account = st.session_state.get(ACCOUNT_KEY)
    token = st.session_state.get(TOKEN_KEY) or st.query_params.get(TOKEN_PARAM)
    via_provider = st.session_state.get(SOURCE_KEY) == "oidc"
    sessions().drop(token)
    for key in (ACCOUNT_KEY, SEEN_KEY, TOKEN_KEY, LOAN_KEY, SOURCE_KEY):
        st.session_state.pop(key, None)
    if TOKEN_PARAM in st.query_params:
        del st.query_params[TOKEN_PARAM]
    if account is not None:
        record("sign_out", account.username, reason, account=account)
    if via_provider and _oidc_logged_in():
        st.logout()


def current(db: str) -> Account | None:
    """The signed-in account for this run, or None. Ends a session idle past idle_minutes() or whose
    account was disabled, resumes one from the URL's token after a reload, keeps the token in the URL."""
    now, idle = audit.now(), dt.timedelta(minutes=idle_minutes())
    account = st.session_state.get(ACCOUNT_KEY)
    token = st.session_state.get(TOKEN_KEY)
    if account is not None and now - st.session_state.get(SEEN_KEY, now) > idle:
        sign_out("idle")
        st.session_state["pw_signed_out_idle"] = True
        return None
    if account is None:
        wanted = st.query_params.get(TOKEN_PARAM)
        found = sessions().resume(wanted, _client(), now, idle) if wanted else None
        if found is not None:
            account, token = found.account, wanted
            st.session_state.update({ACCOUNT_KEY: account, TOKEN_KEY: token, SOURCE_KEY: found.source})
        elif _oidc_logged_in() and not st.session_state.get("pw_oidc_refused"):
            account = _oidc_sign_in(db)
            token = st.session_state.get(TOKEN_KEY)
    if account is None:
        return None
    if token:
        sessions().resume(token, _client(), now, idle)
    with store.read_connection(db) as con:
        fresh = users.get_account(con, account.username)
    if fresh != account:  # disabled (or changed) since sign-in: out, whatever the token says
        sign_out("disabled")
        return None
    st.session_state[SEEN_KEY] = now
    if token and st.query_params.get(TOKEN_PARAM) != token:
        st.query_params[TOKEN_PARAM] = token  # a page switch clears the URL's parameters
    return account


# ---------------------------------------------------------------- identity provider (st.login, OIDC)

class MappingError(ValueError):
    """The provider's claims do not name a valid PledgeWatch account (message zh and en)."""

    def __init__(self, zh: str, en: str):
        self.message_zh, self.message_en = zh, en
        super().__init__(f"{zh}\n{en}")


OIDC_DEFAULTS = {"username_claim": "email", "role_claim": "pledgewatch_role",
                 "organisation_claim": "pledgewatch_organisation", "create_missing": False, "role_values": {}}


def oidc_settings() -> dict | None:
    """The claim → account mapping: the TOML file $PLEDGEWATCH_OIDC_CONFIG (default
    .streamlit/pledgewatch_oidc.toml) over OIDC_DEFAULTS; None when there is no such file or no
    [auth] section in Streamlit's secrets (then the sign-in page offers passwords only)."""
    path = Path(os.environ.get("PLEDGEWATCH_OIDC_CONFIG") or ROOT / ".streamlit" / "pledgewatch_oidc.toml")
    if not path.is_file():
        return None
    try:
        if "auth" not in st.secrets:
            return None
    except Exception:  # no secrets.toml at all
        return None
    with path.open("rb") as fh:
        return {**OIDC_DEFAULTS, **tomllib.load(fh)}


def map_claims(claims: Mapping, settings: Mapping) -> Account:
    """The account an ID token's claims name (pure; documented in README "Identity provider").

    username = claims[username_claim]; role = claims[role_claim], a string or a list (a groups
    claim), each value first translated through ``role_values`` ({provider value: role}); exactly
    one known role must result. organisation = claims[organisation_claim] for bank / guarantor /
    appraiser (required), None for the bureau roles (ignored if sent)."""
    cfg = {**OIDC_DEFAULTS, **settings}
    username = claims.get(cfg["username_claim"])
    if not isinstance(username, str) or not username.strip():
        raise MappingError(f"身份令牌缺少用户名声明 {cfg['username_claim']}",
                           f"the ID token has no username claim {cfg['username_claim']}")
    raw = claims.get(cfg["role_claim"])
    values = [raw] if isinstance(raw, str) else list(raw or []) if isinstance(raw, list | tuple) else []
    roles = {cfg["role_values"].get(v, v) for v in values if isinstance(v, str)} & set(users.ROLES)
    if len(roles) != 1:
        raise MappingError(f"身份令牌的角色声明 {cfg['role_claim']} 须恰好对应一个角色（得到 {sorted(roles)}）",
                           f"the ID token's role claim {cfg['role_claim']} must map to exactly one role "
                           f"(got {sorted(roles)})")
    role = roles.pop()
    if role in users.BUREAU_ROLES:
        return Account(username.strip(), role, None)
    org = claims.get(cfg["organisation_claim"])
    if not isinstance(org, str) or not org.strip():
        raise MappingError(f"角色 {role} 须有机构声明 {cfg['organisation_claim']}",
                           f"role {role} needs the organisation claim {cfg['organisation_claim']}")
    return Account(username.strip(), role, org.strip())


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # no [auth] configured: st.user has no is_logged_in
        return False


def _oidc_sign_in(db: str) -> Account | None:
    settings = oidc_settings()
    if settings is None:
        return None
    try:
        mapped = map_claims(st.user.to_dict(), settings)
        outcome = users.external_sign_in(db, mapped, bool(settings["create_missing"]))
    except (MappingError, store.StoreLocked):
        st.session_state["pw_oidc_refused"] = True
        return None
    if outcome.account is None:
        st.session_state["pw_oidc_refused"] = True
        return None
    _start(outcome.account, "oidc")
    return outcome.account
