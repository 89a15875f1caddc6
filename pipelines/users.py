"""Sign-in accounts (R-SCOPE): the ``users`` table, its command line and password checks.

    python -m pipelines.users [--db PATH] add USERNAME --role ROLE [--org NAME] [--email E] [--webhook URL]
    python -m pipelines.users [--db PATH] list
    python -m pipelines.users [--db PATH] disable USERNAME
    python -m pipelines.users [--db PATH] passwd USERNAME

A password is read from a prompt (twice, getpass) or, when standard input is not a terminal, as
one line of it — never from the command line, never printed or logged. Only its argon2id hash
(argon2-cffi, PasswordHasher with Type.ID) is stored. A party account's organisation must be one
the ledgers know for that role (loans.bank / guarantor / appraiser); a bureau account has none.
Every change writes an audit row (pipelines/audit.py) in the same transaction, source
'cli:<OS user>'. Exit codes: 0 done, 2 refused (a bilingual message), 3 database locked.

``authenticate`` is the dashboard's password check with the lock-out: MAX_FAILURES wrong passwords
in a row lock the account for LOCK_MINUTES, during which even the right password is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

from pipelines import audit, sqlfiles, store

SQL_DIR = Path(__file__).with_name("sql")
# The roles of R-SCOPE (the same tuple as queries.runner.ROLES; pipelines never imports queries).
ROLES = ("bureau_admin", "bureau_viewer", "bank", "guarantor", "appraiser")
BUREAU_ROLES = ("bureau_admin", "bureau_viewer")
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
HASHER = PasswordHasher(type=Type.ID)
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WEBHOOK = re.compile(r"https?://[^\s]+")
# Verified against when the username is unknown, so that an unknown name costs as much as a known one.
_DUMMY_HASH = HASHER.hash("pledgewatch-no-such-user")


class UserError(ValueError):
    """A refused account change, with its message in Chinese and English."""

    def __init__(self, zh: str, en: str):
        self.message_zh, self.message_en = zh, en
        super().__init__(f"{zh}\n{en}")


@dataclass(frozen=True)
class Account:
    """A signed-in account: who, which role, which organisation (None for the bureau)."""

    username: str
    role: str
    organisation: str | None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a password check: ``account`` when it succeeded; ``reason`` for the audit log
    only (the user is always told the same generic words): ok / wrong / unknown / disabled / locked /
    no_password."""

    account: Account | None
    reason: str


def _sql(name: str) -> str:
    return sqlfiles.read(SQL_DIR / f"{name}.sql")


def _run(con, name: str, p: dict):
    sql = _sql(name)
    return con.execute(sql, sqlfiles.bind(sql, p))


def _stamp(when: dt.datetime) -> str:
    return when.isoformat(sep=" ")


# ---------------------------------------------------------------- checks

def check_username(username: str) -> str:
    """The username if it is 1–64 of A–Z a–z 0–9 . _ @ - (starting with a letter or digit)."""
    if not _USERNAME.fullmatch(username or ""):
        raise UserError(f"用户名 {username!r} 无效：须为 1–64 个字母、数字或 . _ @ -，以字母或数字开头",
                        f"username {username!r} is invalid: 1–64 letters, digits or . _ @ -, "
                        "starting with a letter or digit")
    return username


def check_password(password: str) -> str:
    """The password if it is long enough (MIN_PASSWORD characters) and a single line."""
    if len(password) < MIN_PASSWORD or "\n" in password or "\r" in password:
        raise UserError(f"密码须至少 {MIN_PASSWORD} 个字符且为一行", f"the password must be one line of at "
                                                             f"least {MIN_PASSWORD} characters")
    return password


def check_organisation(con, role: str, organisation: str | None) -> str | None:
    """The organisation for ``role``: None for a bureau role (refused if given); for a party role one
    that the ledgers know in the role's loans column (bank / guarantor / appraiser)."""
    if role not in ROLES:
        raise UserError(f"未知角色 {role!r}，可选：{', '.join(ROLES)}", f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    organisation = (organisation or "").strip() or None
    if role in BUREAU_ROLES:
        if organisation:
            raise UserError(f"角色 {role} 不属于任何机构，请勿指定 --org", f"role {role} has no organisation; "
                                                                  "leave out --org")
        return None
    if not organisation:
        raise UserError(f"角色 {role} 须用 --org 指定机构", f"role {role} needs an organisation (--org)")
    if not _run(con, "users_org_known", {"role": role, "organisation": organisation}).fetchall()[0][0]:
        column = {"bank": "贷款银行 bank", "guarantor": "担保机构 guarantor", "appraiser": "评估机构 appraiser"}[role]
        raise UserError(f"台账中没有{column.split()[0]}为 {organisation!r} 的借据，无法为其开设 {role} 账户",
                        f"no loan in the ledgers names {organisation!r} as its {column.split()[1]}; "
                        f"cannot open a {role} account for it")
    return organisation


def _check_contact(email: str | None, webhook: str | None) -> tuple[str | None, str | None]:
    if email and not _EMAIL.fullmatch(email):
        raise UserError(f"电子邮箱 {email!r} 格式不正确", f"e-mail address {email!r} is malformed")
    if webhook and not _WEBHOOK.fullmatch(webhook):
        raise UserError(f"Webhook 地址 {webhook!r} 须以 http:// 或 https:// 开头",
                        f"webhook {webhook!r} must be an http:// or https:// URL")
    return email or None, webhook or None


def _get(con, username: str) -> dict | None:
    cur = _run(con, "users_get", {"username": username})
    rows = cur.fetchall()
    return dict(zip([d[0] for d in cur.description], rows[0], strict=True)) if rows else None


def _require(con, username: str) -> dict:
    row = _get(con, username)
    if row is None:
        raise UserError(f"没有用户 {username!r}", f"no user {username!r}")
    return row


# ---------------------------------------------------------------- changes (each with its audit row)

def add(con, username: str, role: str, organisation: str | None = None, email: str | None = None,
        webhook: str | None = None, password: str | None = None, source: str | None = None) -> Account:
    """Create an account (password None: it cannot sign in until one is set) and its user_add row."""
    check_username(username)
    organisation = check_organisation(con, role, organisation)
    email, webhook = _check_contact(email, webhook)
    if _get(con, username) is not None:
        raise UserError(f"用户 {username!r} 已存在", f"user {username!r} already exists")
    hashed = HASHER.hash(check_password(password)) if password is not None else None
    when = audit.now()
    con.execute("begin")
    try:
        _run(con, "users_insert", {"username": username, "role": role, "organisation": organisation, "email": email,
                                   "webhook": webhook, "password_hash": hashed, "now": _stamp(when)})
        audit.insert(con, audit.Entry("user_add", username=username, role=role, organisation=organisation,
                                      object=username, detail=f"role={role} organisation={organisation or ''}",
                                      source=source or audit.cli_source(), happened_at=when))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return Account(username, role, organisation)


def disable(con, username: str, source: str | None = None) -> None:
    """Disable an account (it keeps its row for the audit) and write its user_disable row."""
    row = _require(con, username)
    when = audit.now()
    con.execute("begin")
    try:
        _run(con, "users_disable", {"username": username, "now": _stamp(when)})
        audit.insert(con, audit.Entry("user_disable", username=username, role=row["role"],
                                      organisation=row["organisation"], object=username,
                                      source=source or audit.cli_source(), happened_at=when))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def set_password(con, username: str, password: str, source: str | None = None) -> None:
    """Store a new argon2id hash for an account (clearing its lock-out) and its user_passwd row."""
    row = _require(con, username)
    hashed = HASHER.hash(check_password(password))
    when = audit.now()
    con.execute("begin")
    try:
        _run(con, "users_passwd", {"username": username, "password_hash": hashed, "now": _stamp(when)})
        audit.insert(con, audit.Entry("user_passwd", username=username, role=row["role"],
                                      organisation=row["organisation"], object=username,
                                      source=source or audit.cli_source(), happened_at=when))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def list_users(con) -> list[dict]:
    """Every account (no hash; has_password says whether one is set), by username."""
    cur = _run(con, "users_list", {})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def get_account(con, username: str) -> Account | None:
    """The enabled account ``username`` (a signed-in session re-checks it every run), else None."""
    row = _get(con, username)
    if row is None or row["disabled"]:
        return None
    return Account(row["username"], row["role"], row["organisation"])


# ---------------------------------------------------------------- sign-in

def _verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(db, username: str, password: str, when: dt.datetime | None = None,
                 source: str = "app") -> SignIn:
    """Check a password with the lock-out rule and write its sign_in / sign_in_failed audit row, all
    in one write transaction. Raises store.StoreLocked when the database stays locked (a sign-in is
    then neither allowed nor counted: the lock-out cannot be bypassed while the store is busy)."""
    when = when or audit.now()
    typed = (username or "").strip()[:64]
    with store.write_connection(db, timeout=audit.AUDIT_LOCK_TIMEOUT_S) as con:
        audit.flush_spool(con, db)
        con.execute("begin")
        try:
            row = _get(con, typed) if typed else None
            if row is None:
                _verify(None, password)  # the same work as for a real account
                outcome = SignIn(None, "unknown")
            elif row["locked_until"] is not None and row["locked_until"] > when:
                _verify(row["password_hash"], password)
                outcome = SignIn(None, "locked")
            elif not _verify(row["password_hash"], password):
                reason = "disabled" if row["disabled"] else ("no_password" if row["password_hash"] is None else "wrong")
                if reason == "wrong":
                    until = _run(con, "users_sign_in_failed", {"username": typed, "now": _stamp(when),
                                                               "max_failures": MAX_FAILURES,
                                                               "lock_minutes": LOCK_MINUTES}).fetchall()[0][0]
                    reason = "wrong, locked" if until is not None and until > when else reason
                outcome = SignIn(None, reason)
            elif row["disabled"]:
                outcome = SignIn(None, "disabled")
            else:
                rehash = HASHER.hash(password) if HASHER.check_needs_rehash(row["password_hash"]) else None
                _run(con, "users_sign_in_ok", {"username": typed, "password_hash": rehash})
                outcome = SignIn(Account(row["username"], row["role"], row["organisation"]), "ok")
            audit.insert(con, audit.Entry(
                "sign_in" if outcome.account else "sign_in_failed", username=typed or None,
                role=row["role"] if row else None, organisation=row["organisation"] if row else None,
                object=typed or None, detail=None if outcome.account else outcome.reason, source=source,
                happened_at=when))
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return outcome


def external_sign_in(db, mapped: Account, create_missing: bool = False, source: str = "oidc",
                     when: dt.datetime | None = None) -> SignIn:
    """A sign-in vouched for by an identity provider (st.login, OIDC), its claims already mapped to
    ``mapped``. The account must exist, be enabled and have exactly the mapped role and organisation
    (the provider cannot widen an account's scope); a missing one is created, without a password,
    only when ``create_missing`` (its organisation checked like the CLI's). Writes the user_add (if
    any) and sign_in / sign_in_failed rows."""
    when = when or audit.now()
    with store.write_connection(db, timeout=audit.AUDIT_LOCK_TIMEOUT_S) as con:
        audit.flush_spool(con, db)
        row = _get(con, mapped.username)
        if row is None and create_missing:
            try:
                add(con, mapped.username, mapped.role, mapped.organisation, source=source)
            except UserError as exc:
                row, reason = None, f"not created: {exc.message_en}"
            else:
                row = _get(con, mapped.username)
        if row is None:
            outcome = SignIn(None, reason if create_missing else "unknown")
        elif row["disabled"]:
            outcome = SignIn(None, "disabled")
        elif (row["role"], row["organisation"]) != (mapped.role, mapped.organisation):
            outcome = SignIn(None, f"claims say {mapped.role}/{mapped.organisation or ''}, "
                                   f"account is {row['role']}/{row['organisation'] or ''}")
        else:
            outcome = SignIn(Account(row["username"], row["role"], row["organisation"]), "ok")
        audit.insert(con, audit.Entry("sign_in" if outcome.account else "sign_in_failed", username=mapped.username,
                                      role=row["role"] if row else mapped.role,
                                      organisation=row["organisation"] if row else mapped.organisation,
                                      object=mapped.username, detail=None if outcome.account else outcome.reason,
                                      source=source, happened_at=when))
    return outcome


# ---------------------------------------------------------------- command line

def read_password(stdin=None, prompt=getpass.getpass) -> str:
    """The new password: typed twice at a prompt on a terminal, else the first line of stdin."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = prompt("新密码 / new password: ")
        if prompt("再次输入 / repeat: ") != first:
            raise UserError("两次输入的密码不一致", "the two passwords differ")
        return check_password(first)
    line = stdin.readline()
    return check_password(line.removesuffix("\n").removesuffix("\r"))


def _print_list(rows: list[dict]) -> None:
    header = ("username", "role", "organisation", "email", "webhook", "disabled", "has_password", "locked_until")
    print("\t".join(header))
    for r in rows:
        print("\t".join("" if r[h] is None else str(r[h]) for h in header))


def main(argv: list[str] | None = None) -> int:
    """Command line entry; returns the exit code (0 done, 2 refused, 3 database locked)."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.users",
                                     description="管理登录账户 / manage sign-in accounts (R-SCOPE)")
    parser.add_argument("--db", help="数据库路径 / database path (default: $PLEDGEWATCH_DB or data/portfolio.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_add = sub.add_parser("add", help="新建账户 / create an account (password from a prompt or stdin)")
    p_add.add_argument("username")
    p_add.add_argument("--role", required=True, help=f"角色 / role: {', '.join(ROLES)}")
    p_add.add_argument("--org", help="机构（银行/担保/评估）/ organisation (bank, guarantor or appraiser)")
    p_add.add_argument("--email")
    p_add.add_argument("--webhook")
    sub.add_parser("list", help="列出账户 / list accounts")
    sub.add_parser("disable", help="停用账户 / disable an account").add_argument("username")
    sub.add_parser("passwd", help="设置密码 / set a password (prompt or stdin)").add_argument("username")
    args = parser.parse_args(argv)
    path = store.resolve_db(args.db)
    try:
        if not path.exists():
            raise UserError(f"数据库 {path} 不存在", f"database {path} does not exist")
        with store.write_connection(path) as con:  # a write connection: it brings an older file's schema up
            if args.command == "list":
                _print_list(list_users(con))
            elif args.command == "add":
                check_username(args.username)
                check_organisation(con, args.role, args.org)  # refuse before asking for a password
                account = add(con, args.username, args.role, args.org, args.email, args.webhook, read_password())
                print(f"已新建用户 / created user {account.username} ({account.role}"
                      f"{' · ' + account.organisation if account.organisation else ''})")
            elif args.command == "disable":
                disable(con, args.username)
                print(f"已停用用户 / disabled user {args.username}")
            else:
                _require(con, args.username)
                set_password(con, args.username, read_password())
                print(f"已设置密码 / password set for {args.username}")
    except UserError as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 2
    except store.StoreLocked as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
