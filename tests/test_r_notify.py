"""R-NOTIFY: the alert run over the demo history, day by day, against the events computed in the
test from the engine's daily figures (tests/alert_fixtures.Expected), delivered by e-mail to a
local aiosmtpd server and by webhook to a local http.server, each exactly once per recipient."""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alert_fixtures import (
    ACCOUNTS,
    BANK_JX,
    Expected,
    Mailbox,
    Webhook,
    add_accounts,
    copy_demo,
    hook_keys,
    mail_keys,
    smtp_settings,
)

from pipelines import store
from queries import alerts

ROOT = Path(__file__).resolve().parent.parent
# The demo's first story spell (RATIO_TABLE in demo/story.py): warning band 02-16, s2's 60-day alert
# 03-10, breach 03-21, the C10 loan 04-10, s1's alert 04-15 and claim (due soon from 05-06), s3's
# alert 05-19 and claim (due soon 06-10, late 06-16), the resume 06-28.
SPELL = (dt.date(2024, 2, 14), dt.date(2024, 6, 30))


def days(first: dt.date, last: dt.date):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


@pytest.fixture(scope="module")
def spell(demo_db, prof, tmp_path_factory):
    """The alert run for every day of SPELL with --deliver, and the independent expectation."""
    db = copy_demo(demo_db, tmp_path_factory.mktemp("spell"))
    box, hook = Mailbox(), Webhook()
    add_accounts(db, hook)
    cfg = smtp_settings(box)
    printed, per_day = {}, {}
    for d in days(*SPELL):  # day by day: the test's figures of the day, then the job's run of it
        with store.read_connection(db) as con:
            if d == SPELL[0]:
                expected = Expected(con, prof)
            expected.con = con
            per_day[d] = expected.day(d)
        printed[d] = alerts.run(db, d, prof, deliver=True, settings=cfg)
    again = alerts.run(db, SPELL[1], prof, deliver=True, settings=cfg)
    box.stop()
    hook.stop()
    yield {"db": db, "box": box, "hook": hook, "expected": expected, "per_day": per_day, "printed": printed,
           "again": again}


def test_each_day_yields_the_independently_computed_events(spell):
    for d, keys in spell["per_day"].items():
        got = [e["key"] for e in spell["printed"][d]["events"]]
        assert sorted(got) == sorted(keys), d


def test_the_story_of_the_spell(spell):
    by_kind = collections.Counter(k.split(":")[0] for keys in spell["per_day"].values() for k in keys)
    stored = dict(spell["per_day"])
    # the story's dated events, worked out from RATIO_TABLE and the STORY table of demo/story.py
    assert "status_changed:2024-02-16:warning" in stored[dt.date(2024, 2, 16)]
    assert "status_changed:2024-03-21:halted" in stored[dt.date(2024, 3, 21)]
    assert "status_changed:2024-06-28:normal" in stored[dt.date(2024, 6, 28)]
    assert "alert60:JJ2023081001:2024-03-10" in stored[dt.date(2024, 3, 10)]
    assert "alert60:JX2023071501:2024-04-15" in stored[dt.date(2024, 4, 15)]
    # s1's notice 04-16, deadline 05-11: five days before it; settled 05-09, never late
    assert "claim_due_soon:JX2023071501:2024-04-16" in stored[dt.date(2024, 5, 6)]
    # s3's notice 05-21, deadline 06-15: due soon from 06-10, late from 06-16
    assert "claim_due_soon:ZH2023092001:2024-05-21" in stored[dt.date(2024, 6, 10)]
    assert "claim_late:ZH2023092001:2024-05-21" in stored[dt.date(2024, 6, 16)]
    assert "compliance:YC2024041001:C10:2024-04-10" in stored[dt.date(2024, 4, 10)]
    assert by_kind["status_changed"] == 3 and by_kind["claim_late"] == 1
    assert "claim_late:JX2023071501:2024-04-16" not in {k for v in stored.values() for k in v}


def test_every_event_reaches_each_recipient_exactly_once(spell):
    exp = spell["expected"]
    events = [k for keys in spell["per_day"].values() for k in keys]
    mails, hooks = mail_keys(spell["box"]), hook_keys(spell["hook"])
    for name, (_role, _org, mail, hook) in ACCOUNTS.items():
        want = sorted(k for k in events if exp.receives(name, k))
        assert want, name
        if mail:
            assert sorted(mails[f"{name}@example.cn"]) == want, name
        if hook:
            assert sorted(hooks[name]) == want, name


def test_one_message_per_recipient_per_run(spell):
    runs_with_mail = collections.Counter()
    for r in spell["printed"].values():
        for name in {n for e in r["events"] for n in e["recipients"]}:
            if ACCOUNTS[name][2]:
                runs_with_mail[f"{name}@example.cn"] += 1
    sent = collections.Counter(str(m["To"]) for m in spell["box"].messages)
    assert sent == runs_with_mail


def test_a_bank_hears_only_of_its_own_loans(spell):
    loans = spell["expected"].loans
    named = set()
    for m in spell["box"].messages:
        if str(m["To"]) == "jx@example.cn":  # every loan id the text names, in words and in links
            text = m.get_body(("plain",)).get_content()
            named |= {w for w in re.split(r"[\s=():]+", text) if w in loans}
    assert named and all(loans[w][0] == BANK_JX for w in named)
    others = {w for m in spell["box"].messages if str(m["To"]) == "bureau@example.cn"
              for w in re.split(r"[\s=():]+", m.get_body(("plain",)).get_content()) if w in loans}
    assert any(loans[w][0] != BANK_JX for w in others)  # the bureau's mail does name other banks' loans
    mentioned = {k.split(":")[1] for k in mail_keys(spell["box"])["jx@example.cn"]
                 if k.split(":")[0] not in ("status_changed", "filing_pack", "stale_bank")}
    assert mentioned and all(loans[loan][0] == BANK_JX for loan in mentioned)


def test_running_twice_for_one_day_sends_nothing_new(spell):
    again = spell["again"]
    assert again["new"] == 0 and again["deliveries"] == 0 and again["failures"] == 0
    assert [e["key"] for e in again["events"]] == [e["key"] for e in spell["printed"][SPELL[1]]["events"]]


def test_messages_are_chinese_first_with_links(spell):
    m = spell["box"].messages[0]
    text = m.get_body(("plain",)).get_content()
    zh, en = text.replace("\r\n", "\n").split("\n----\n")
    assert zh.startswith("PledgeWatch 预警") and "PledgeWatch alerts" in en
    loan_link = next(line.strip() for line in text.splitlines() if "/loan?loan=" in line)
    assert loan_link.startswith("http://pw.example/loan?loan=")
    hook_body = spell["hook"].posts[0][1]
    assert hook_body["msgtype"] == "text" and hook_body["text"]["content"].startswith("PledgeWatch 预警")


def test_recipients_in_the_printed_json_follow_r_scope(spell):
    exp = spell["expected"]
    for r in spell["printed"].values():
        for e in r["events"]:
            assert e["recipients"] == sorted(n for n in ACCOUNTS if exp.receives(n, e["key"])), e


def test_a_gap_of_ten_days_yields_every_event_once(demo_db, prof, tmp_path):
    """After the ledgers end (2025-12-31) no file comes: R-FRESH flags the banks from 36 days after
    their last record (2026-01-31 … 02-05) while the job is down from 01-27 to 02-06."""
    db = copy_demo(demo_db, tmp_path)
    add_accounts(db, None)
    first, last = dt.date(2026, 1, 27), dt.date(2026, 2, 6)
    with store.read_connection(db) as con:
        expected = Expected(con, prof)
        want = [k for d in days(first, last) for k in expected.day(d)]
    alerts.run(db, first, prof)
    gap = alerts.run(db, last, prof)
    assert gap["evaluated"] == 10
    with store.read_connection(db) as con:
        stored = [r[0] for r in con.execute("select key from alert_events").fetchall()]
    assert sorted(stored) == sorted(want) and len(stored) == len(set(stored))
    stale = sorted(k for k in stored if k.startswith("stale_bank:"))
    assert stale == ["stale_bank:中国银行安义县支行:2026-01-31", "stale_bank:九江银行安义支行:2026-01-31",
                     "stale_bank:安义农商银行:2026-02-02", "stale_bank:江西银行安义支行:2026-02-05",
                     "stale_bank:赣州银行安义支行:2026-02-04", "stale_bank:邮储银行安义县支行:2026-01-31"]


def test_cli_prints_the_ledger_json(demo_db, tmp_path):
    db = copy_demo(demo_db, tmp_path)
    add_accounts(db, None)
    out = subprocess.run([sys.executable, "-m", "queries.alerts", "--db", str(db), "--as-of", "2024-03-21"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    events = json.loads(out.stdout)
    assert all(set(e) == {"kind", "key", "loan_id", "recipients"} for e in events)
    assert {"kind": "filing_pack", "key": f"filing_pack:{BANK_JX}:2024-02", "loan_id": None,
            "recipients": ["jx"]} in events
    assert "alert run 1 as of 2024-03-21: 1 days" in out.stderr
    again = subprocess.run([sys.executable, "-m", "queries.alerts", "--db", str(db), "--as-of", "2024-03-21"],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(again.stdout) == events and "0 new events" in again.stderr


def test_golden_keys_and_recipients_by_hand(tmp_path, prof):
    """A two-loan ledger worked by hand. L1 (BankA, GuarA, AppA) pays February's interest only: overdue
    from 03-11, 50 % of the balance, so the program halts that day; a resume decided 04-01 while
    still above 5 % is flagged (and halts again the same day: no status change). L1 reaches DPD 60
    on 05-09 (due 03-10); paying March's interest on 05-20 leaves April's (04-10) oldest, DPD 40: off
    the list, back on 06-09 — a new key. BankA's last record is 02-10 until 05-20: stale from 03-17
    (02-10 + 36). L2 (BankB, GuarB, AppB) pays on time but its 4.00 % breaks C4 (LPR 3.45 % + 50 bp)."""
    from engine_fixtures import Ledger

    ledger = Ledger()
    ledger.loan("L1", "1000000", "2024-01-10", "2025-01-10", rate="0.0345", bank="BankA", guarantor="GuarA",
                appraiser="AppA")
    ledger.loan("L2", "1000000", "2024-01-15", "2025-01-15", rate="0.0400", bank="BankB", guarantor="GuarB",
                appraiser="AppB")
    ledger.pay("L1", "2024-02-10", interest_paid="2970.83").pay("L1", "2024-05-20", interest_paid="2779.17")
    for month in ("02", "03", "04", "05", "06"):
        ledger.pay("L2", f"2024-{month}-15", interest_paid="3444.44")
    ledger.decision("2024-04-01", "resume")
    db = tmp_path / "golden.duckdb"
    ledger.write(db)
    with store.write_connection(db) as con:
        for name, role, org in (("bureau", "bureau_admin", None), ("a", "bank", "BankA"), ("g", "guarantor", "GuarB"),
                                ("p", "appraiser", "AppA")):
            con.execute("insert into users (username, role, organisation, created_at, updated_at) values "
                        "(?, ?, ?, timestamp '2000-01-01', timestamp '2000-01-01')", [name, role, org])
    first = alerts.run(db, dt.date(2024, 3, 9), prof)
    rest = alerts.run(db, dt.date(2024, 6, 12), prof)
    got = {e["key"]: e["recipients"] for e in first["events"] + rest["events"]}
    assert got == {
        "compliance:L2:C4:2024-01-15": ["bureau", "g"],
        "filing_pack:BankA:2024-02": ["a"],
        "status_changed:2024-03-11:halted": ["a", "bureau", "g", "p"],
        "stale_bank:BankA:2024-03-17": ["a", "bureau"],
        "resume_flagged:2024-04-01": ["bureau"],
        "filing_pack:BankA:2024-03": ["a"],
        "filing_pack:BankA:2024-04": ["a"],
        "alert60:L1:2024-05-09": ["a", "bureau", "p"],
        "filing_pack:BankA:2024-05": ["a"],
        "alert60:L1:2024-06-09": ["a", "bureau", "p"],
    }
    assert (first["evaluated"], rest["evaluated"]) == (1, 95)
    with store.read_connection(db) as con:
        days_of = dict(con.execute("select key, event_on from alert_events").fetchall())
    assert days_of["stale_bank:BankA:2024-03-17"] == dt.date(2024, 3, 17)
    assert days_of["alert60:L1:2024-06-09"] == dt.date(2024, 6, 9)
    assert days_of["filing_pack:BankA:2024-05"] == dt.date(2024, 6, 1)
