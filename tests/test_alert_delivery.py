"""R-NOTIFY delivery: a failed send is recorded and delivered by a later run, never twice after
success; retries back off by runs and stop after alert_max_attempts; the monthly filing pack
(九(二)) reaches each bank as XLSX of its own loans; webhook signing; no secret in logs or the
deliveries table; every setting documented."""

from __future__ import annotations

import base64
import collections
import datetime as dt
import hashlib
import hmac
import io
import logging
import urllib.parse
from pathlib import Path

import openpyxl
import pytest
from alert_fixtures import (
    ACCOUNTS,
    BANK_JX,
    Expected,
    Mailbox,
    Webhook,
    add_accounts,
    copy_demo,
    free_port,
    hook_keys,
    keys_in,
    smtp_settings,
)

from pipelines import store
from queries import alert_delivery, alerts

README = Path(__file__).resolve().parent.parent / "README.md"
# s4's story (demo/story.py): interest due 2025-08-25 unpaid, 60 days on 10-24, notice 10-28 with
# deadline 11-22 (due soon from 11-17), late from 11-23
WINDOW = (dt.date(2025, 10, 20), dt.date(2025, 11, 25))


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def deliveries(db):
    with store.read_connection(db) as con:
        return con.execute("select run_id, kind, key, username, channel, outcome, error from alert_deliveries "
                           "order by run_id, username, key").fetchall()


def test_smtp_killed_mid_run_then_delivered_once(demo_db, prof, tmp_path):
    db = copy_demo(demo_db, tmp_path)
    hook = Webhook()
    add_accounts(db, hook)
    with store.read_connection(db) as con:
        expected = Expected(con, prof)
        want = [k for d in days(*WINDOW) for k in expected.day(d)]
    # the server stops after the first message of the first run: the others find it gone
    first_box = Mailbox(fail_after=1)
    first = alerts.run(db, WINDOW[0], prof, deliver=True, settings=smtp_settings(first_box))
    first_box.stop()
    failed = [r for r in deliveries(db) if r[5] == "failed"]
    assert first["failures"] == len(failed) > 0 and len(first_box.messages) == 1
    assert {r[3] for r in failed} == {"bureau", "jx", "zh"} - {str(first_box.messages[0]["To"]).split("@")[0]}
    assert all(r[4] == "email" and r[6] for r in failed)  # the error is kept
    box = Mailbox()
    for d in days(WINDOW[0] + dt.timedelta(days=1), WINDOW[1]):
        alerts.run(db, d, prof, deliver=True, settings=smtp_settings(box))
    box.stop()
    hook.stop()
    got = collections.defaultdict(list)
    for m in first_box.messages + box.messages:
        got[str(m["To"]).split("@")[0]].extend(keys_in(m.get_body(("plain",)).get_content()))
    for name, (_role, _org, mail, _hook) in ACCOUNTS.items():
        if mail:  # every event once: the failed ones came with the next run, nothing twice
            assert sorted(got[name]) == sorted(k for k in want if expected.receives(name, k)), name
    for name, keys in hook_keys(hook).items():
        assert sorted(keys) == sorted(k for k in want if expected.receives(name, k)), name
    assert any(k.startswith("claim_late:GZ") for k in want) and any(k.startswith("alert60:GZ") for k in want)
    # the retried ones: failed once, then sent in run 2
    outcomes = collections.defaultdict(list)
    for run_id, kind, key, user, channel, outcome, _ in deliveries(db):
        outcomes[(kind, key, user, channel)].append((run_id, outcome))
    assert {tuple(v) for k, v in outcomes.items() if k[3] == "email" and k[2] in {r[3] for r in failed}
            and (k[0], k[1]) in {(r[1], r[2]) for r in failed}} == {((1, "failed"), (2, "sent"))}


def test_retries_back_off_by_runs_and_stop(demo_db, prof, tmp_path):
    db = copy_demo(demo_db, tmp_path)
    add_accounts(db, None)
    closed = {"smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_security": "none",
              "alert_max_attempts": 3}
    for _ in range(10):  # one day, ten runs: no new event after the first
        alerts.run(db, dt.date(2024, 3, 21), prof, deliver=True, settings=closed)
    tried = collections.defaultdict(list)
    for run_id, kind, key, user, _channel, outcome, _ in deliveries(db):
        assert outcome == "failed"
        tried[(kind, key, user)].append(run_id)
    # after f failures, the last in run r, the next try is run r + 2^(f-1): runs 1, 2, 4; then given up
    assert tried and set(map(tuple, tried.values())) == {(1, 2, 4)}


def test_monthly_filing_pack_is_each_banks_own_loans(demo_db, prof, tmp_path):
    db = copy_demo(demo_db, tmp_path)
    add_accounts(db, None)
    box = Mailbox()
    alerts.run(db, dt.date(2025, 4, 1), prof, deliver=True, settings=smtp_settings(box))
    box.stop()
    with store.read_connection(db) as con:
        march = dict(con.execute("select bank, list(loan_id order by loan_id) from loans where disbursed_on "
                                 "between '2025-03-01' and '2025-03-31' group by bank").fetchall())
    bureau = next(m for m in box.messages if str(m["To"]) == "bureau@example.cn")
    assert not list(bureau.iter_attachments())  # the pack goes to the banks
    for name in ("jx", "zh"):
        msg = next(m for m in box.messages if str(m["To"]) == f"{name}@example.cn")
        (att,) = list(msg.iter_attachments())
        assert att.get_filename() == f"filing_{ACCOUNTS[name][1]}_2025-03.xlsx"
        ws = openpyxl.load_workbook(io.BytesIO(att.get_content())).active
        header = [c.value for c in ws[2]]
        loans = sorted(row[header.index("Loan ID")] for row in ws.iter_rows(min_row=3, values_only=True))
        assert loans == march[ACCOUNTS[name][1]] and loans  # 江西 one loan, 中国 two
        assert all(row[header.index("Bank")] == ACCOUNTS[name][1] for row in ws.iter_rows(min_row=3, values_only=True))
    assert len(march[BANK_JX]) == 1 and sum(map(len, march.values())) > 3  # other banks' loans left out


def test_webhook_is_signed_like_dingtalk(demo_db, prof, tmp_path):
    db = copy_demo(demo_db, tmp_path)
    hook = Webhook()
    add_accounts(db, hook)
    secret = "SECxyz-测试"
    alerts.run(db, dt.date(2024, 3, 21), prof, deliver=True,
               settings={"webhook_secret": secret, "smtp_host": ""})
    hook.stop()
    assert hook.posts
    for path, body in hook.posts:
        query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
        stamp, sign = query["timestamp"][0], query["sign"][0]
        want = base64.b64encode(hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest())
        assert sign == want.decode() and query["access_token"] == ["t0k3n"]
        assert body["msgtype"] == "text" and "status_changed:2024-03-21:halted" in body["text"]["content"]


def test_no_password_in_log_or_deliveries(demo_db, prof, tmp_path, caplog):
    db = copy_demo(demo_db, tmp_path)
    add_accounts(db, None)
    box = Mailbox()  # offers no AUTH: the login fails
    password = "pa55-w0rd-秘密"
    with caplog.at_level(logging.INFO, logger="pledgewatch.alerts"):
        result = alerts.run(db, dt.date(2024, 3, 21), prof, deliver=True,
                            settings=dict(smtp_settings(box), smtp_user="pw", smtp_password=password))
    box.stop()
    rows = deliveries(db)
    assert result["failures"] == len(rows) > 0 and not box.messages
    assert all(password not in (r[6] or "") for r in rows)
    assert password not in caplog.text and "failures" in caplog.text


@pytest.mark.parametrize("setting", alert_delivery.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting):
    assert f"`{setting.env}`" in README.read_text(encoding="utf-8")
