"""Fixtures of the alert tests (R-NOTIFY): a local SMTP server (aiosmtpd) and a local webhook
(http.server), both on 127.0.0.1, accounts inserted straight into the users table, and the
events of each day computed independently from the engine's daily figures (the daily series,
the R-ALERT60 list, the claims table, C1–C11, the pledged IP watch and R-FRESH), carried day by
day in the test rather than through the job's own tables."""

from __future__ import annotations

import datetime as dt
import email
import json
import re
import shutil
import socket
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

from pipelines import store
from queries import alert60, claims, collateral, compliance, freshness, ratio, runner

BANK_JX = "江西银行安义支行"
BANK_ZH = "中国银行安义县支行"
GUARANTOR_NC = "南昌市融资担保有限公司"
# username -> (role, organisation, email?, webhook?)
ACCOUNTS = {
    "bureau": ("bureau_admin", None, True, False),
    "jx": ("bank", BANK_JX, True, True),
    "zh": ("bank", BANK_ZH, True, False),
    "nc": ("guarantor", GUARANTOR_NC, False, True),
}
KEY_IN_TEXT = re.compile(r"\(((?:status_changed|alert60|claim_due_soon|claim_late|resume_flagged|compliance|"
                         r"ip_risk|stale_bank|filing_pack):[^()\s]*)\)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd server on 127.0.0.1 that keeps every accepted message; ``fail_after`` stops the
    server (in another thread) after that many messages, refusing the one that found it stopping."""

    def __init__(self, fail_after: int | None = None):
        self.messages: list[email.message.EmailMessage] = []
        self.fail_after = fail_after
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running = True

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        if self.fail_after is not None and len(self.messages) >= self.fail_after:
            if self.running:
                self.running = False
                threading.Thread(target=self.controller.stop, daemon=True).start()
            return "421 shutting down"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def stop(self):
        if self.running:
            self.running = False
            self.controller.stop()


class Webhook:
    """A local http.server that keeps every JSON body POSTed to it, by path (one path per account)."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                posts.append((self.path, json.loads(body)))
                answer = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, username: str) -> str:
        return f"http://127.0.0.1:{self.port}/robot/{username}?access_token=t0k3n"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def copy_demo(demo_db: Path, folder: Path, loaded_on: dt.date = dt.date(2025, 12, 20)) -> Path:
    """A private copy of the demo store (the alert run writes to it) whose files count as loaded on
    ``loaded_on`` (R-FRESH's last_received), whatever day the test machine's clock says."""
    path = folder / "alerts.duckdb"
    shutil.copy(demo_db, path)
    with store.write_connection(path) as con:
        con.execute("update ingest_batches set finished_at = ?::timestamp + interval 18 hour", [loaded_on])
    return path


def add_accounts(db: Path, webhook: Webhook | None, created_at=dt.datetime(2000, 1, 1)) -> None:
    """The ACCOUNTS as users rows (the alert run reads nothing else about them), in place of the demo
    database's own accounts, so each test knows every recipient."""
    with store.write_connection(db) as con:
        con.execute("delete from users")
        for name, (role, org, mail, hook) in ACCOUNTS.items():
            con.execute("insert into users (username, role, organisation, email, webhook, created_at, updated_at) "
                        "values (?, ?, ?, ?, ?, ?, ?)",
                        [name, role, org, f"{name}@example.cn" if mail else None,
                         webhook.url(name) if (hook and webhook) else None, created_at, created_at])


def smtp_settings(box: Mailbox) -> dict:
    return {"smtp_host": "127.0.0.1", "smtp_port": box.port, "smtp_security": "none",
            "base_url": "http://pw.example/", "webhook_secret": ""}


def keys_in(text: str) -> list[str]:
    """The event keys a message names, from its Chinese half (each event is listed once a language)."""
    return KEY_IN_TEXT.findall(text.replace("\r\n", "\n").split("\n----\n")[0])


def mail_keys(box: Mailbox) -> dict[str, list[str]]:
    """Recipient address -> every key received, in order, duplicates kept."""
    out: dict = {}
    for m in box.messages:
        out.setdefault(str(m["To"]), []).extend(keys_in(m.get_body(("plain",)).get_content()))
    return out


def hook_keys(hook: Webhook) -> dict[str, list[str]]:
    """Account -> every key its webhook received, duplicates kept."""
    out: dict = {}
    for path, body in hook.posts:
        out.setdefault(path.split("/")[2].split("?")[0], []).extend(keys_in(body["text"]["content"]))
    return out


class Expected:
    """The R-NOTIFY events of each day, from the engine's daily figures, carried day by day here."""

    def __init__(self, con, prof, bank_users=(BANK_JX, BANK_ZH)):
        self.con, self.prof, self.bank_users = con, prof, list(bank_users)
        series = ratio.npl_series(con, prof, end=dt.date(2026, 12, 31))
        self.status = dict(zip(map(runner.as_date, series["day"]), series["status"], strict=True))
        self.loans = {r[0]: r[1:] for r in con.execute("select loan_id, bank, guarantor, disbursed_on from loans")
                      .fetchall()}
        self.open: dict = {}
        self.seen: set = set()
        self.previous: dt.date | None = None

    def _alert60_start(self, loan_id: str, day: dt.date) -> dt.date:
        # the first day of the stay, looking back one list a day (the job looks back by R-DPD probes)
        start = day
        while loan_id in set(alert60.alerts(self.con, start - dt.timedelta(days=1), self.prof)["loan_id"]):
            start -= dt.timedelta(days=1)
        return start

    def day(self, d: dt.date) -> list[str]:
        """The new keys of day ``d`` (days must come in order)."""
        con, prof = self.con, self.prof
        keys = []
        before, now = self.status.get(d - dt.timedelta(days=1), "normal"), self.status.get(d, "normal")
        if before != now:
            keys.append(f"status_changed:{d}:{now}")
        conditions = {}
        for loan_id in alert60.alerts(con, d, prof)["loan_id"]:
            conditions[("alert60", loan_id)] = None
        for r in claims.claims(con, d, prof).to_dict("records"):
            if r["status"] == "pending" and r["days_left"] <= 5:
                keys.append(f"claim_due_soon:{r['loan_id']}:{r['notice_on']}")
            if r["status"] == "late":
                keys.append(f"claim_late:{r['loan_id']}:{r['notice_on']}")
        if self.previous is None or any(v[2] == d for v in self.loans.values()):
            self.failures = {(r["loan_id"], r["rule"]) for r in compliance.exceptions(con, d, prof).to_dict("records")}
        for loan_id, rule in self.failures:
            conditions[("compliance", f"{loan_id}:{rule}")] = self.loans[loan_id][2]
        for r in collateral.ip_watch(con, d, prof).to_dict("records"):
            if r["active"] and (r["lost"] or r["at_risk"]):
                state = "lost" if r["lost"] else "at_risk"
                conditions[("ip_risk", f"{r['loan_id']}:{r['ip_number']}:{state}")] = d
        for r in freshness.stale_banks(con, d, prof).to_dict("records"):
            conditions[("stale_bank", r["bank"])] = r["first_stale_on"]
        now_open = {}
        for (kind, item), hint in conditions.items():
            since = self.open.get((kind, item))
            if since is None:
                since = hint if hint is not None else (self._alert60_start(item, d) if self.previous is None else d)
            now_open[(kind, item)] = since
            keys.append(f"{kind}:{item}:{since}")
        if self.previous is None or (d.year, d.month) != (self.previous.year, self.previous.month):
            month = (d.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
            keys += [f"filing_pack:{b}:{month}" for b in self.bank_users]
        self.open, self.previous = now_open, d
        new = [k for k in keys if k not in self.seen]
        self.seen.update(new)
        return new

    def receives(self, username: str, key: str) -> bool:
        """Whether ``username`` (ACCOUNTS) receives the event ``key`` (R-SCOPE)."""
        role, org = ACCOUNTS[username][:2]
        kind, rest = key.split(":", 1)
        if kind == "filing_pack" or kind == "stale_bank":
            return role == "bank" and rest.split(":")[0] == org if kind == "filing_pack" else \
                role.startswith("bureau") or (role == "bank" and rest.split(":")[0] == org)
        if role.startswith("bureau") or kind == "status_changed":
            return True
        if kind == "resume_flagged":
            return False
        bank, guarantor = self.loans[rest.split(":")[0]][:2]
        return (role == "bank" and bank == org) or (role == "guarantor" and guarantor == org)
