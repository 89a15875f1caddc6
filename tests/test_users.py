"""`python -m pipelines.users` (R-SCOPE accounts) run as a real process on a copy of the demo database:
add / list / disable / passwd with real values; only argon2id hashes stored; the password never on the
command line, in the output or in the audit log; refusals bilingual, exit 2, no traceback. Also the
lock-out rule of pipelines.users.authenticate, at fixed times, and the CLI ingest's OS-user row."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from pipelines import audit, store, users
from tests.dashboard_fixtures import private_copy

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Horse-battery-42-staple"
NEW_PASSWORD = "second pass phrase 7"
BANK = "江西银行安义支行"  # a bank of the demo ledgers
OS_SOURCE = f"cli:{getpass.getuser()}"


@pytest.fixture
def db(demo_db, tmp_path):
    """A private copy of the demo database (the tests write accounts and audit rows)."""
    return private_copy(demo_db, tmp_path / "users.duckdb")


def cli(db, *args, stdin: str = "") -> subprocess.CompletedProcess:
    """The users CLI as a child process; standard input is a pipe, as in `printf … | python -m …`."""
    return subprocess.run([sys.executable, "-m", "pipelines.users", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def user_row(db, name):
    with store.read_connection(db) as con:
        return con.execute("select role, organisation, email, webhook, disabled, password_hash, failed_count, "
                           "locked_until from users where username = ?", [name]).fetchall()


def audit_text(db) -> str:
    with store.read_connection(db) as con:
        return "\n".join(str(r) for r in con.execute("select * from audit_log").fetchall())


def test_add_list_disable_passwd_with_real_values(db):
    added = cli(db, "add", "bank_jx2", "--role", "bank", "--org", BANK, "--email", "risk@jx.example.cn",
                "--webhook", "https://hooks.example.cn/jx", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "bank_jx2" in added.stdout and BANK in added.stdout

    [(role, org, email, webhook, disabled, hashed, failed, locked)] = user_row(db, "bank_jx2")
    assert (role, org, email, webhook, disabled, failed, locked) == (
        "bank", BANK, "risk@jx.example.cn", "https://hooks.example.cn/jx", False, 0, None)
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, PASSWORD)

    listed = cli(db, "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t") == ["username", "role", "organisation", "email", "webhook", "disabled",
                                    "has_password", "locked_until"]
    assert "bank_jx2\tbank\t江西银行安义支行\trisk@jx.example.cn\thttps://hooks.example.cn/jx\tFalse\tTrue\t" in lines
    # the demo accounts are there too (demo/accounts.py), without passwords in the shared demo database
    assert "admin\tbureau_admin\t\t\t\tFalse\tFalse\t" in lines

    assert cli(db, "passwd", "bank_jx2", stdin=NEW_PASSWORD + "\n").returncode == 0
    new_hash = user_row(db, "bank_jx2")[0][5]
    assert new_hash.startswith("$argon2id$") and new_hash != hashed
    assert PasswordHasher().verify(new_hash, NEW_PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(new_hash, PASSWORD)

    assert cli(db, "disable", "bank_jx2").returncode == 0
    assert user_row(db, "bank_jx2")[0][4] is True
    assert "bank_jx2\tbank\t江西银行安义支行\trisk@jx.example.cn\thttps://hooks.example.cn/jx\tTrue\tTrue\t" in \
        cli(db, "list").stdout.splitlines()

    with store.read_connection(db) as con:
        rows = con.execute("select action, username, role, organisation, object, source from audit_log "
                           "where object = 'bank_jx2' order by audit_id").fetchall()
    assert rows == [("user_add", "bank_jx2", "bank", BANK, "bank_jx2", OS_SOURCE),
                    ("user_passwd", "bank_jx2", "bank", BANK, "bank_jx2", OS_SOURCE),
                    ("user_disable", "bank_jx2", "bank", BANK, "bank_jx2", OS_SOURCE)]
    # no password anywhere: not in any output, not in the audit log
    for out in (added.stdout, added.stderr, listed.stdout, listed.stderr):
        assert PASSWORD not in out and NEW_PASSWORD not in out
    assert PASSWORD not in audit_text(db) and NEW_PASSWORD not in audit_text(db)


def test_the_table_holds_only_argon2id_hashes(db):
    assert cli(db, "add", "boss", "--role", "bureau_admin", stdin=PASSWORD + "\n").returncode == 0
    assert cli(db, "passwd", "analyst", stdin=NEW_PASSWORD + "\n").returncode == 0
    with store.read_connection(db) as con:
        hashes = [h for (h,) in con.execute("select password_hash from users").fetchall()]
    set_ = [h for h in hashes if h is not None]
    assert len(set_) == 2 and all(h.startswith("$argon2id$v=19$") for h in set_)
    assert not any(PASSWORD in h or NEW_PASSWORD in h for h in set_)


def test_the_password_is_not_in_the_process_arguments(db):
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.users", "--db", str(db), "add", "viewer2",
                             "--role", "bureau_viewer"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        # the process list while it runs: /proc/<pid>/cmdline is what `ps` shows
        cmdline, deadline = "", time.monotonic() + 60
        while "pipelines.users" not in cmdline and time.monotonic() < deadline:  # until exec has happened
            cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode("utf-8", "replace")
            time.sleep(0.01)
        out, err = proc.communicate(PASSWORD + "\n", timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "viewer2" in cmdline and PASSWORD not in cmdline
    assert PASSWORD not in out + err


@pytest.mark.parametrize(("args", "stdin", "zh", "en"), [
    (("add", "x1", "--role", "bank", "--org", "江西银行"), PASSWORD, "台账中没有贷款银行为 '江西银行' 的借据",
     "no loan in the ledgers names '江西银行' as its bank"),
    (("add", "x1", "--role", "guarantor", "--org", BANK), PASSWORD, "台账中没有担保机构为",
     "as its guarantor"),
    (("add", "x1", "--role", "bank"), PASSWORD, "角色 bank 须用 --org 指定机构", "role bank needs an organisation"),
    (("add", "x1", "--role", "bureau_viewer", "--org", BANK), PASSWORD, "不属于任何机构",
     "role bureau_viewer has no organisation"),
    (("add", "x1", "--role", "superuser"), PASSWORD, "未知角色 'superuser'", "unknown role 'superuser'"),
    (("add", "x1", "--role", "bureau_admin"), "short", "密码须至少 10 个字符", "at least 10 characters"),
    (("add", "admin", "--role", "bureau_admin"), PASSWORD, "用户 'admin' 已存在", "user 'admin' already exists"),
    (("add", "bad name", "--role", "bureau_admin"), PASSWORD, "用户名 'bad name' 无效", "username 'bad name' is invalid"),
    (("add", "x1", "--role", "bureau_admin", "--email", "no-at-sign"), PASSWORD, "电子邮箱 'no-at-sign' 格式不正确",
     "e-mail address 'no-at-sign' is malformed"),
    (("add", "x1", "--role", "bureau_admin", "--webhook", "ftp://x"), PASSWORD, "Webhook 地址 'ftp://x'",
     "must be an http:// or https:// URL"),
    (("passwd", "nobody"), PASSWORD, "没有用户 'nobody'", "no user 'nobody'"),
    (("disable", "nobody"), "", "没有用户 'nobody'", "no user 'nobody'"),
])
def test_refusals_are_bilingual_exit_2_without_traceback(db, args, stdin, zh, en):
    before = user_row(db, "x1")
    done = cli(db, *args, stdin=stdin + "\n")
    assert done.returncode == 2
    assert zh in done.stderr and en in done.stderr
    assert "Traceback" not in done.stderr
    assert PASSWORD not in done.stderr + done.stdout
    assert user_row(db, "x1") == before == []


def test_a_missing_database_is_refused_not_created(tmp_path):
    done = cli(tmp_path / "none.duckdb", "list")
    assert done.returncode == 2 and "does not exist" in done.stderr and "不存在" in done.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_lock_out_after_five_failures_for_fifteen_minutes(db):
    with store.write_connection(db) as con:
        users.set_password(con, "jx_bank", PASSWORD, source="test")
    t0 = dt.datetime(2026, 3, 2, 9, 0, 0)
    for i in range(4):
        out = users.authenticate(db, "jx_bank", f"wrong-password-{i}", when=t0 + dt.timedelta(seconds=i))
        assert (out.account, out.reason) == (None, "wrong")
    assert user_row(db, "jx_bank")[0][6:] == (4, None)
    fifth = t0 + dt.timedelta(seconds=4)
    assert users.authenticate(db, "jx_bank", "still wrong", when=fifth).reason == "wrong, locked"
    assert user_row(db, "jx_bank")[0][6:] == (0, fifth + dt.timedelta(minutes=15))
    # locked: the right password is refused until the 15 minutes are over
    just_before = fifth + dt.timedelta(minutes=14, seconds=59)
    assert users.authenticate(db, "jx_bank", PASSWORD, when=just_before).reason == "locked"
    after = fifth + dt.timedelta(minutes=15)
    ok = users.authenticate(db, "jx_bank", PASSWORD, when=after)
    assert ok.account == users.Account("jx_bank", "bank", BANK) and ok.reason == "ok"
    assert user_row(db, "jx_bank")[0][6:] == (0, None)

    with store.read_connection(db) as con:
        rows = con.execute("select happened_at, action, username, role, organisation, object, detail, source "
                           "from audit_log where source = 'app' order by audit_id").fetchall()
    assert [r[1:] for r in rows] == (
        [("sign_in_failed", "jx_bank", "bank", BANK, "jx_bank", "wrong", "app")] * 4
        + [("sign_in_failed", "jx_bank", "bank", BANK, "jx_bank", "wrong, locked", "app"),
           ("sign_in_failed", "jx_bank", "bank", BANK, "jx_bank", "locked", "app"),
           ("sign_in", "jx_bank", "bank", BANK, "jx_bank", None, "app")])
    assert [r[0] for r in rows] == [t0 + dt.timedelta(seconds=i) for i in range(5)] + [just_before, after]


def test_unknown_disabled_and_passwordless_accounts_fail_alike(db):
    with store.write_connection(db) as con:
        users.set_password(con, "jj_bank", PASSWORD, source="test")
        users.disable(con, "jj_bank", source="test")
    assert users.authenticate(db, "nobody", PASSWORD).reason == "unknown"
    assert users.authenticate(db, "jj_bank", PASSWORD).reason == "disabled"
    assert users.authenticate(db, "analyst", PASSWORD).reason == "no_password"  # demo account, no password yet
    assert all(users.authenticate(db, n, PASSWORD).account is None for n in ("nobody", "jj_bank", "analyst"))


def test_the_cli_ingest_records_its_os_user(tmp_path):
    target = tmp_path / "fresh.duckdb"
    done = subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(target),
                           str(ROOT / "data" / "demo" / "06_业务决定.csv")], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    with store.read_connection(target) as con:
        rows = con.execute("select action, username, object, detail, source from audit_log").fetchall()
        loaded = con.execute("select rows_loaded from ingest_batches").fetchall()[0][0]
    assert rows == [("ingest_cli", getpass.getuser(), "06_业务决定.csv",
                     f"batch=1 outcome=loaded kind=decisions rows_read={loaded} rows_loaded={loaded} rows_rejected=0",
                     OS_SOURCE)]
    assert audit.cli_source() == OS_SOURCE


def _without_accounts(db):
    with store.write_connection(db) as con:
        con.execute("delete from users")  # as a demo database before demo/accounts.py ran


def test_demo_accounts_get_generated_passwords_in_a_private_file(db, tmp_path):
    from demo.accounts import DEMO_ACCOUNTS

    _without_accounts(db)
    target = tmp_path / "demo.passwords"
    env = {k: v for k, v in os.environ.items() if k != "PLEDGEWATCH_DEMO_PASSWORD"}
    done = subprocess.run([sys.executable, "-m", "demo.accounts", "--db", str(db), "--password-file", str(target)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (target.stat().st_mode & 0o777) == 0o600
    pairs = dict(line.split("\t") for line in target.read_text(encoding="utf-8").splitlines())
    assert sorted(pairs) == sorted(n for n, _, _ in DEMO_ACCOUNTS)
    assert all(len(p) >= users.MIN_PASSWORD for p in pairs.values())
    assert not any(p in done.stdout + done.stderr for p in pairs.values())  # the file only, never the output
    with store.read_connection(db) as con:
        made = con.execute("select username, role, organisation from users order by username").fetchall()
    assert made == sorted(DEMO_ACCOUNTS)
    assert [(n, r, o) for n, r, o in made if r == "bank"] == [("jj_bank", "bank", "九江银行安义支行"),
                                                               ("jx_bank", "bank", BANK)]
    for name, password in pairs.items():
        assert users.authenticate(db, name, password).account.username == name


def test_demo_accounts_take_the_password_from_the_environment(db):
    _without_accounts(db)
    env = dict(os.environ, PLEDGEWATCH_DEMO_PASSWORD=PASSWORD)
    done = subprocess.run([sys.executable, "-m", "demo.accounts", "--db", str(db)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    assert not Path(str(db) + ".passwords").exists()
    assert users.authenticate(db, "ay_guarantor", PASSWORD).account == users.Account(
        "ay_guarantor", "guarantor", "安义县融资担保有限公司")
    again = subprocess.run([sys.executable, "-m", "demo.accounts", "--db", str(db)], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=120)
    assert again.returncode == 0 and "demo accounts: —" in again.stdout  # existing accounts are left alone
