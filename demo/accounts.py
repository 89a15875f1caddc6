"""The demo database's sign-in accounts (R-SCOPE): one per role, for two banks, a guarantor and an
appraiser named as in the demo ledgers (demo/story.py).

    python -m demo.accounts --db PATH [--password-file FILE]

Passwords never go on a command line or into a log: with $PLEDGEWATCH_DEMO_PASSWORD set every demo
account gets that password; otherwise each gets a generated one, written with its username to
FILE (default ``<db>.passwords``, mode 0600, not committed: .gitignore). Accounts that exist are
left alone, so a rebuilt database can be re-run safely. A production database starts with no
account: ``python -m pipelines.users add NAME --role bureau_admin`` first (README).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from demo.story import APPRAISERS, BANKS, GUARANTORS
from pipelines import store, users

_BANKS = list(BANKS)
# (username, role, organisation)
DEMO_ACCOUNTS = (
    ("admin", "bureau_admin", None),
    ("analyst", "bureau_viewer", None),
    ("jx_bank", "bank", _BANKS[0]),        # 江西银行安义支行
    ("jj_bank", "bank", _BANKS[1]),        # 九江银行安义支行
    ("ay_guarantor", "guarantor", GUARANTORS[0]),  # 安义县融资担保有限公司
    ("gz_appraiser", "appraiser", APPRAISERS[0]),  # 江西赣正资产评估有限公司
)


def create(db, passwords: dict[str, str] | None = None) -> list[str]:
    """Create the demo accounts that do not exist yet (password from ``passwords`` by username, none
    when missing: such an account cannot sign in until `pipelines.users passwd`); the names created."""
    made = []
    with store.write_connection(db) as con:
        existing = {u["username"] for u in users.list_users(con)}
        for name, role, org in DEMO_ACCOUNTS:
            if name not in existing:
                users.add(con, name, role, org, password=(passwords or {}).get(name))
                made.append(name)
    return made


def _write_private(path: Path, text: str) -> None:
    path.unlink(missing_ok=True)  # a new file, so the 0600 mode is the one it is created with
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def main(argv: list[str] | None = None) -> int:
    """CLI entry: create the demo accounts with the password scheme above; 0 done, 2 refused."""
    parser = argparse.ArgumentParser(prog="python -m demo.accounts",
                                     description="为演示数据库建立账户 / create the demo database's accounts")
    parser.add_argument("--db", required=True, help="数据库路径 / database path")
    parser.add_argument("--password-file", type=Path,
                        help="生成的密码写入此文件（0600）/ generated passwords go here (default <db>.passwords)")
    args = parser.parse_args(argv)
    shared = os.environ.get("PLEDGEWATCH_DEMO_PASSWORD")
    try:
        if shared is not None:
            users.check_password(shared)
            passwords = {name: shared for name, _, _ in DEMO_ACCOUNTS}
        else:
            passwords = {name: secrets.token_urlsafe(12) for name, _, _ in DEMO_ACCOUNTS}
        made = create(args.db, passwords)
    except users.UserError as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 2
    if shared is None and made:
        target = args.password_file or Path(str(args.db).removesuffix(".building") + ".passwords")
        _write_private(target, "".join(f"{n}\t{passwords[n]}\n" for n in made))
        print(f"演示账户 / demo accounts: {', '.join(made)}; 密码见 / passwords in {target} (0600)")
    else:
        print(f"演示账户 / demo accounts: {', '.join(made) or '—'}"
              + ("; 密码为 $PLEDGEWATCH_DEMO_PASSWORD / password: $PLEDGEWATCH_DEMO_PASSWORD" if made else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
