"""R-NOTIFY: the daily alert run — the events of each day, stored once by (kind, key), their
recipients (R-SCOPE) and, with ``--deliver``, their delivery (queries/alert_delivery.py).

    python -m queries.alerts --db PATH --as-of YYYY-MM-DD [--deliver] [--profile NAME]

The engine's figures come from the rule families, never recomputed here: the daily series and
resume decisions (ratio, halt: status_changed, resume_flagged), the R-ALERT60 list (alert60),
claims (claims: claim_due_soon, claim_late), C1–C11 (compliance), pledged IP (collateral:
ip_risk) and R-FRESH (freshness: stale_bank). A run evaluates every day after the last one a
run evaluated, in order, up to ``--as-of`` (the first run only ``--as-of``), so an event of a day
the job missed is still stored and announced once. A condition that goes on keeps the first day
of its stay in its key (alert_open); when it ends and comes back, that is a new key. The first day
of a stay: alert60 looks back through R-DPD (the first run too); a C-rule fails from the loan's
disbursement (C1–C11 are decided then); a bank is stale from R-FRESH's first_stale_on; an IP state
from the first evaluated day it was seen (for a state older than the first run, that run's day). 九(二): the
first evaluated day of a month adds a filing_pack event per bank with a bank user (the previous
month's filing summary of its own loans, attached as XLSX to its e-mail).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys

import pyarrow as pa

from pipelines import profile as profile_mod
from pipelines import store
from queries import alert60, claims, collateral, compliance, dpd, freshness, halt, ratio, runner

KINDS = ("status_changed", "alert60", "claim_due_soon", "claim_late", "resume_flagged", "compliance", "ip_risk",
         "stale_bank", "filing_pack")
LOG = logging.getLogger("pledgewatch.alerts")
_NEW = pa.schema([("kind", pa.string()), ("key", pa.string()), ("event_on", pa.date32()), ("loan_id", pa.string()),
                  ("bank", pa.string()), ("guarantor", pa.string()), ("appraiser", pa.string()),
                  ("detail", pa.string())])
_OPEN = pa.schema([("kind", pa.string()), ("item", pa.string()), ("since", pa.date32())])


def key_of(kind: str, *parts) -> str:
    """The stable key of an event: its kind, then the parts R-NOTIFY names, joined by ':'."""
    return ":".join([kind, *(p.isoformat() if isinstance(p, dt.date) else str(p) for p in parts)])


def _text(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


class _Figures:
    """The engine's figures over the days of one run, fetched once where they do not depend on the
    day (the daily series, resumes, C-rule failures, the first claim notice)."""

    def __init__(self, con, profile, first: dt.date, last: dt.date):
        self.con, self.profile = con, profile
        series = ratio.npl_series(con, profile, start=first - dt.timedelta(days=1), end=last)
        self.status = {runner.as_date(d): s for d, s in zip(series["day"], series["status"], strict=True)}
        res = halt.resumes(con, profile, end=last)
        self.flagged_resumes = {runner.as_date(r["decided_on"]): r for r in res.to_dict("records")
                                if bool(r["resume_while_breached"])}
        # C1–C11 are decided at disbursement on the ledgers' terms, so the failures at ``last``
        # narrowed to loans disbursed by a day are that day's failures; they start on disbursed_on
        self.failures = compliance.exceptions(con, last, profile).to_dict("records")
        all_claims = claims.claims(con, last, profile)
        self.first_notice = min(map(runner.as_date, all_claims["notice_on"])) if len(all_claims) else None
        self.trigger = int(runner.profile_or_default(profile).compensation_trigger_dpd)
        self.warning_days = int(runner.profile_or_default(profile).claim_warning_days)

    def alert60_start(self, rows: list[dict]) -> dict:
        """For loans on the R-ALERT60 list at a day, the first day of their continuous stay: every day
        from alert_since to the day is on the list (payments only accumulate), so the stay starts
        at alert_since unless the loan was on the list the day before it; then go on from that
        day's alert_since (R-DPD at the probes, dpd.loan_state_at)."""
        start = {r["loan_id"]: runner.as_date(r["alert_since"]) for r in rows}
        todo = dict(start)
        while todo:
            probes = pa.table({"loan_id": pa.array(list(todo), pa.string()),
                               "at": pa.array([s - dt.timedelta(days=1) for s in todo.values()], pa.date32())})
            state = dpd.loan_state_at(self.con, probes, self.profile)
            todo = {}
            for r in state.to_dict("records"):
                if bool(r["active"]) and int(r["dpd"]) >= self.trigger:
                    earlier = runner.as_date(r["at"]) - dt.timedelta(days=int(r["dpd"]) - self.trigger)
                    if earlier < start[r["loan_id"]]:
                        start[r["loan_id"]] = todo[r["loan_id"]] = earlier
        return start

    def day(self, d: dt.date, bank_users: list[str], month_opened: bool) -> tuple[list[dict], list[dict]]:
        """(conditions, one-off events) of day ``d``. A condition is {kind, item, since_hint, loan_id,
        parties, detail}: its key takes the first day of its stay; one-off events carry their key."""
        con, prof = self.con, self.profile
        events, conditions = [], []
        before = self.status.get(d - dt.timedelta(days=1), "normal")
        now = self.status.get(d, "normal")
        if now != before:
            events.append({"kind": "status_changed", "key": key_of("status_changed", d, now),
                           "detail": {"from": before, "to": now}})
        if d in self.flagged_resumes:
            events.append({"kind": "resume_flagged", "key": key_of("resume_flagged", d),
                           "detail": {"npl_ratio": _text(self.flagged_resumes[d]["npl_ratio"])}})
        listed = alert60.alerts(con, d, prof).to_dict("records")
        for r in listed:
            conditions.append({"kind": "alert60", "item": r["loan_id"], "loan": r, "since_hint": None,
                               "detail": {"dpd": int(r["dpd"]), "alert_since": _text(r["alert_since"])}})
        if self.first_notice is not None and d >= self.first_notice:
            for r in claims.claims(con, d, prof).to_dict("records"):
                detail = {"deadline": _text(r["deadline"]), "days_left": _text(r["days_left"])}
                if r["status"] == "pending" and r["days_left"] is not None and r["days_left"] <= self.warning_days:
                    events.append({"kind": "claim_due_soon", "key": key_of("claim_due_soon", r["loan_id"],
                                                                           r["notice_on"]), "loan": r,
                                   "detail": detail})
                elif r["status"] == "late":
                    events.append({"kind": "claim_late", "key": key_of("claim_late", r["loan_id"], r["notice_on"]),
                                   "loan": r, "detail": detail})
        seen = set()
        for r in self.failures:
            if runner.as_date(r["disbursed_on"]) <= d and (r["loan_id"], r["rule"]) not in seen:
                seen.add((r["loan_id"], r["rule"]))
                conditions.append({"kind": "compliance", "item": f"{r['loan_id']}:{r['rule']}", "loan": r,
                                   "since_hint": runner.as_date(r["disbursed_on"]), "detail": {"rule": r["rule"]}})
        ips = collateral.ip_watch(con, d, prof)
        # only the pledged IP at risk or lost of active loans become Python rows (R-IPSTAT's flags)
        ips = ips[ips["active"].astype(bool) & (ips["lost"].astype(bool) | ips["at_risk"].astype(bool))]
        for r in ips.to_dict("records"):
            state = "lost" if bool(r["lost"]) else "at_risk"
            conditions.append({"kind": "ip_risk", "item": f"{r['loan_id']}:{r['ip_number']}:{state}", "loan": r,
                               "since_hint": d, "detail": {"status": r["status"], "watch": r["watch"]}})
        for r in freshness.stale_banks(con, d, prof).to_dict("records"):
            conditions.append({"kind": "stale_bank", "item": r["bank"], "bank": r["bank"],
                               "since_hint": runner.as_date(r["first_stale_on"]),
                               "detail": {"last_record_on": _text(r["last_record_on"]),
                                          "last_received": _text(r["last_received"])}})
        if month_opened:
            month = (d.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
            for bank in bank_users:
                events.append({"kind": "filing_pack", "key": key_of("filing_pack", bank, month), "bank": bank,
                               "detail": {"month": month}})
        return conditions, events


def _row(event: dict, d: dt.date) -> dict:
    # the loan's parties come from the loans ledger in SQL (insert_events.sql, recipients.sql)
    loan = event.get("loan") or {}
    return {"kind": event["kind"], "key": event["key"], "event_on": d, "loan_id": loan.get("loan_id"),
            "bank": None if loan else event.get("bank"), "guarantor": None, "appraiser": None,
            "detail": json.dumps(event.get("detail") or {}, ensure_ascii=False, sort_keys=True)}


def _state(con, previous: dt.date | None) -> dict:
    """What the evaluation needs from earlier runs: stored keys, conditions open on ``previous``, the
    banks with a bank user (filing packs)."""
    open_ = {}
    if previous is not None:
        open_ = {(r["kind"], r["item"]): runner.as_date(r["since"])
                 for r in runner.rows(con, "alerts/open_conditions", {"day": previous})}
    return {"stored": {(r["kind"], r["key"]) for r in runner.rows(con, "alerts/stored_keys")}, "open": open_,
            "bank_users": [r["bank"] for r in runner.rows(con, "alerts/bank_users")]}


def evaluate(con, first: dt.date, last: dt.date, profile, previous: dt.date | None,
             state: dict) -> tuple[list[dict], list[dict]]:
    """The events of every day from ``first`` to ``last`` in order that are not stored yet, and the
    conditions open on ``last`` ({kind, item, since}). ``previous`` = the day evaluated before
    ``first`` (None on the first run): conditions open then (``state``, _state) keep their first day."""
    fig = _Figures(con, profile, first, last)
    stored, open_, bank_users = set(state["stored"]), dict(state["open"]), state["bank_users"]
    new, day = [], first
    while day <= last:
        opened = previous is None or (day.year, day.month) != (previous.year, previous.month)
        conditions, events = fig.day(day, bank_users, opened)
        fresh_alert60 = [c["loan"] for c in conditions if c["kind"] == "alert60" and ("alert60", c["item"]) not in open_]
        # a loan newly on the list of a day whose eve was evaluated starts its stay that day; only
        # the first run, which saw no eve, looks back for the start
        starts = ({r["loan_id"]: day for r in fresh_alert60} if previous is not None
                  else fig.alert60_start(fresh_alert60))
        now_open = {}
        for c in conditions:
            since = open_.get((c["kind"], c["item"]))
            if since is None:
                since = starts[c["item"]] if c["kind"] == "alert60" else c["since_hint"]
            now_open[(c["kind"], c["item"])] = since
            events.append(dict(c, key=key_of(c["kind"], c["item"], since)))
        for e in events:
            if (e["kind"], e["key"]) not in stored:
                stored.add((e["kind"], e["key"]))
                new.append(_row(e, day))
        open_, previous = now_open, day
        day += dt.timedelta(days=1)
    return new, [{"kind": k, "item": i, "since": s} for (k, i), s in sorted(open_.items())]


def recipients(con, events: list[dict]) -> dict[tuple[str, str], list[str]]:
    """(kind, key) -> the usernames receiving it, sorted (alerts/recipients.sql, R-SCOPE)."""
    table = pa.Table.from_pylist([{c: e.get(c) for c in ("kind", "key", "loan_id", "bank")} for e in events],
                                 schema=pa.schema([_NEW.field(c) for c in ("kind", "key", "loan_id", "bank")]))
    out: dict = {}
    with runner.registered(con, "alert_batch", table):
        for r in runner.rows(con, "alerts/recipients"):
            out.setdefault((r["kind"], r["key"]), []).append(r["username"])
    return out


class RunConflict(RuntimeError):
    """Another alert run stored its days while this one was evaluating."""


def record(con, as_of: dt.date, previous: dt.date | None, new: list[dict], still_open: list[dict] | None,
           now: dt.datetime) -> int:
    """Store a run in one transaction on a write connection: its new events, the conditions open on
    ``as_of`` (None: no day evaluated, keep them), and the run row (so the next run goes on from
    ``as_of`` even if the delivery fails half-way). Refuses (RunConflict) when the last evaluated day
    is no longer ``previous``. Returns the run id."""
    last = runner.one(con, "alerts/last_run")
    if last["evaluated_to"] != previous:
        raise RunConflict("另一次预警运行已保存了这些日期 / another alert run stored these days meanwhile")
    run_id = int(last["next_run_id"])
    first = as_of if previous is None else previous + dt.timedelta(days=1)
    con.execute("begin transaction")
    try:
        with runner.registered(con, "alert_new", pa.Table.from_pylist(new, schema=_NEW)):
            runner.execute(con, "alerts/insert_events", {"created_at": now})
        if still_open is not None:
            with runner.registered(con, "alert_open_new", pa.Table.from_pylist(still_open, schema=_OPEN)):
                runner.execute(con, "alerts/insert_open", {"day": as_of})
        runner.execute(con, "alerts/insert_run", {
            "run_id": run_id, "as_of": as_of, "evaluated_from": first if first <= as_of else None,
            "evaluated_to": as_of if first <= as_of else previous, "started_at": now, "finished_at": None,
            "events": len(new), "deliveries": 0, "failures": 0})
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return run_id


def announce(con, as_of: dt.date, new: list[dict]) -> list[dict]:
    """The LEDGER.md list a run prints: its new events and those stored for ``as_of`` before, with
    their recipients (R-SCOPE), by day, kind order and key."""
    shown = {(e["kind"], e["key"]): e for e in runner.rows(con, "alerts/day_events", {"day": as_of})}
    shown.update({(e["kind"], e["key"]): e for e in new})
    listed = sorted(shown.values(), key=lambda e: (e["event_on"], KINDS.index(e["kind"]), e["key"]))
    who = recipients(con, listed) if listed else {}
    return [{"kind": e["kind"], "key": e["key"], "loan_id": e["loan_id"],
             "recipients": who.get((e["kind"], e["key"]), [])} for e in listed]


def run(db, as_of, profile=None, deliver: bool = False, now: dt.datetime | None = None, settings=None) -> dict:
    """One alert run on the store ``db``: evaluate the days after the last evaluated one up to
    ``as_of`` (only ``as_of`` on the first run), store their events, deliver when asked. Returns
    {run_id, evaluated (days), events (the LEDGER.md list), new, deliveries, failures}.

    The engine reads through a read-only connection (its per-connection memo makes a day cheap);
    the writes go in one transaction on a write connection afterwards, which refuses to store
    when another run stored days in between (RunConflict)."""
    from queries import alert_delivery

    as_of = runner.as_date(as_of)
    now = now or dt.datetime.now()
    profile = runner.profile_or_default(profile)
    with store.write_connection(db) as con:  # the alert tables exist from here on
        previous = runner.one(con, "alerts/last_run")["evaluated_to"]
        state = _state(con, previous)
    first = as_of if previous is None else previous + dt.timedelta(days=1)
    new, still_open = [], None
    if first <= as_of:
        with store.read_connection(db) as con:
            new, still_open = evaluate(con, first, as_of, profile, previous, state)
    with store.write_connection(db) as con:
        run_id = record(con, as_of, previous, new, still_open, now)
        printed = announce(con, as_of, new)
        sent = failed = 0
        if deliver:
            sent, failed = alert_delivery.deliver(con, run_id, profile, now, settings)
        runner.execute(con, "alerts/finish_run", {"run_id": run_id, "finished_at": dt.datetime.now(),
                                                  "deliveries": sent, "failures": failed})
    # the one summary line per run (README: scheduling); no address, no secret
    LOG.info("alert run %s as of %s: %d days, %d new events, %d deliveries, %d failures", run_id, as_of,
             max((as_of - first).days + 1, 0), len(new), sent, failed)
    return {"run_id": run_id, "evaluated": max((as_of - first).days + 1, 0), "events": printed,
            "new": len(new), "deliveries": sent, "failures": failed}


# ---------------------------------------------------------------- inbox (dashboard)

def inbox(con, username: str, role: str, organisation: str | None, kind: str | None = None) -> list[dict]:
    """The stored events in the reader's scope (R-SCOPE), newest first, with the reader's
    acknowledgement (alerts/inbox.sql); [] on a store without alert tables."""
    if not runner.value(con, "alerts/has_tables"):
        return []
    return runner.rows(con, "alerts/inbox", {"username": username, "role": role, "organisation": organisation,
                                             "kind": kind})


def unacknowledged(con, username: str, role: str, organisation: str | None) -> int:
    """How many inbox events the reader has not acknowledged (the sidebar's count)."""
    rows = inbox(con, username, role, organisation)
    return sum(1 for r in rows if not r["acknowledged"])


def acknowledge(db, username: str, kind: str, key: str, at: dt.datetime | None = None) -> None:
    """Record that ``username`` acknowledged the event (kind, key) now (the inbox page's write)."""
    with store.write_connection(db) as con:
        acknowledge_on(con, username, kind, key, at)


def acknowledge_on(con, username: str, kind: str, key: str, at: dt.datetime | None = None) -> None:
    """``acknowledge`` on an open write connection (a second acknowledgement keeps the first time)."""
    runner.execute(con, "alerts/acknowledge", {"kind": kind, "key": key, "username": username,
                                               "acked_at": at or dt.datetime.now()})


# ---------------------------------------------------------------- CLI

def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m queries.alerts",
        description="每日预警（R-NOTIFY）：计算当日事件、保存，并可发送 / The daily alert run: the day's events "
                    "(R-NOTIFY), stored once, optionally delivered by e-mail and webhook.",
        epilog="SMTP 与 webhook 设置只从环境变量读取（PLEDGEWATCH_SMTP_*、PLEDGEWATCH_WEBHOOK_SECRET），不从命令行 / "
               "SMTP and webhook settings come from the environment only (PLEDGEWATCH_SMTP_*, "
               "PLEDGEWATCH_WEBHOOK_SECRET), never from the command line (README).")
    ap.add_argument("--db", help="数据库路径 / database path (default $PLEDGEWATCH_DB or data/portfolio.duckdb)")
    ap.add_argument("--as-of", required=True, help="日期 YYYY-MM-DD / the day to evaluate up to")
    ap.add_argument("--deliver", action="store_true", help="发送未送达的事件 / send what is not delivered yet")
    ap.add_argument("--profile", help="项目参数 / program profile name (default $PLEDGEWATCH_PROFILE or anyi)")
    return ap


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    try:
        as_of = dt.date.fromisoformat(args.as_of)
    except ValueError:
        print(f"日期格式应为 YYYY-MM-DD：{args.as_of}\nDate must be YYYY-MM-DD: {args.as_of}", file=sys.stderr)
        return 2
    db = store.resolve_db(args.db)
    if not db.exists():
        print(f"找不到数据库 {db}\nDatabase {db} not found", file=sys.stderr)
        return 2
    try:
        prof = profile_mod.load(args.profile)
    except (FileNotFoundError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        result = run(db, as_of, prof, deliver=args.deliver)
    except store.StoreLocked as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 3
    except RunConflict as exc:
        print(str(exc), file=sys.stderr)
        return 3
    json.dump(result["events"], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
