"""Shared by the dashboard tests and the screenshot script: one demo database per session,
and a real ``streamlit run`` server on a free localhost port.

The demo database is built by code, through the real ingestion pipeline, from the demo
ledgers in data/demo (`python -m demo` writes them). It is built once per process and
reused (read-only) by every dashboard test, which keeps the suite fast.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
DEMO_DIR = ROOT / "data" / "demo"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

_built: dict[str, Path] = {}


def build_demo_db(folder: Path) -> Path:
    """Ingest data/demo into ``folder``/demo.duckdb (once per process) and return its path."""
    if "demo" in _built and _built["demo"].exists():
        return _built["demo"]
    from demo import accounts as demo_accounts
    from pipelines import ingest

    path = Path(folder) / "demo.duckdb"
    if not path.exists():
        if not any(DEMO_DIR.glob("*")):
            from demo.__main__ import main as write_demo

            demo_out = Path(folder) / "demo_ledgers"
            write_demo(["--out", str(demo_out)])
            source = demo_out
        else:
            source = DEMO_DIR
        results = ingest.ingest_paths([source], db=path, after_load=ingest.cli_after_load())
        refused = [r for r in results if r.outcome == "refused"]
        assert not refused, f"demo ledgers refused: {[r.message_en for r in refused]}"
        demo_accounts.create(path)  # the demo accounts (make db does the same), without passwords
    _built["demo"] = path
    return path


def signed_in(at, username: str, role: str, organisation: str | None = None):
    """Start AppTest ``at`` signed in as an existing account, as a successful sign-in leaves the
    session (dashboard/auth.py; tests/test_signin.py drives the sign-in form itself)."""
    from dashboard import auth

    at.session_state[auth.ACCOUNT_KEY] = auth.Account(username, role, organisation)
    return at


def as_new_admin(at, db):
    """Start ``at`` signed in as ``admin`` (bureau_admin) on ``db``, creating that account first if
    the database has none yet (a database built by code for one test starts without accounts)."""
    from pipelines import store, users

    with store.write_connection(db) as con:
        if users.get_account(con, "admin") is None:
            users.add(con, "admin", "bureau_admin", source="test")
    return signed_in(at, "admin", "bureau_admin")


# The password the browser tests give demo accounts on their private copies of the demo database.
TEST_PASSWORD = "Browser-test-pass-2026"


def private_copy(db: Path, target: Path) -> Path:
    """A copy of the shared demo database for a test that writes, with an empty audit log (the other
    dashboard tests' loan views and downloads land in the shared one)."""
    import shutil

    from pipelines import store

    shutil.copy(db, target)
    with store.write_connection(target) as con:
        con.execute("delete from audit_log")  # test set-up on a copy; the app never deletes audit rows
    return Path(target)


def with_passwords(db: Path, folder: Path, names) -> Path:
    """A copy of ``db`` in ``folder`` whose accounts ``names`` have TEST_PASSWORD (the shared demo
    database stays without passwords)."""
    from pipelines import store, users

    target = private_copy(db, Path(folder) / "signin.duckdb")
    with store.write_connection(target) as con:
        for name in names:
            users.set_password(con, name, TEST_PASSWORD, source="test")
    return target


def browser_sign_in(pg, url: str, username: str, password: str = TEST_PASSWORD) -> None:
    """Open ``url`` in Playwright page ``pg`` and submit the sign-in form (Chinese labels)."""
    pg.goto(url)
    pg.get_by_role("heading", name="登录", exact=True).wait_for()
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码", exact=True).fill(password)
    pg.get_by_role("button", name="登录", exact=True).click()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run dashboard/app.py`` on a free port against ``db``; stop() always ends it."""

    def __init__(self, db: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PLEDGEWATCH_DB=str(db))
        # A log file, not a pipe: a full pipe would block the server.
        self.log_path = Path(db).with_suffix(f".streamlit-{self.port}.log")
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.log_path.read_text(errors="replace")
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{out}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not answer {self.url}/_stcore/health within {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


def launch_browser(playwright):
    """Debian's chromium through Playwright (no `playwright install`)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def wan_text(amount) -> str:
    """Independent 万元 formatting for assertions: yuan / 10,000, half-up to 0.01, thousands separators
    (the unit is in the metric's label)."""
    from decimal import ROUND_HALF_UP, Decimal

    return f"{(Decimal(amount) / Decimal(10000)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pct_text(ratio) -> str:
    """Independent percentage formatting for assertions: ratio × 100, half-up to two decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    if ratio is None:
        return "—"
    return f"{(Decimal(ratio) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def unlink(frame):
    """A table whose loan_id cells are links to the loan page (loan?…&loan=ID) with the ids back."""
    if "loan_id" in frame.columns:
        frame = frame.copy()
        frame["loan_id"] = [v.rsplit("loan=", 1)[-1] if isinstance(v, str) and v.startswith("loan?") else v
                            for v in frame["loan_id"]]
    return frame
