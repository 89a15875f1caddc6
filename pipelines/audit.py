"""The audit log (R-SCOPE): who did what, when — append-only.

Every sign-in (also failed), sign-out, loan view, download, import, user change and CLI ingest
is one row of ``audit_log`` (pipelines/schema.sql): username, role, organisation, happened_at (UTC),
action, object, detail, source ('app', 'oidc' or 'cli:<OS user>'). Nothing here updates or
deletes a row.

The store's lock (DuckDB locks its file; pipelines/store.py): an audit row needs a write
connection, and a long CLI ingest holds the only one for minutes. ``write`` therefore waits at
most AUDIT_LOCK_TIMEOUT_S (default 3 s) and, if the lock is still taken, appends the row to a
spool file next to the database (``<db>.audit-spool``, mode 0600, one JSON object a line,
guarded by flock). The next audit write that gets the lock — or the CLI ingest itself, after its
load — moves the spooled rows into audit_log first, with their original time. So an audit row is
never lost and a page never hangs on the log; only its arrival in the table may be late.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from pipelines import sqlfiles, store

SQL_DIR = Path(__file__).with_name("sql")
ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "loan_view", "download", "import",
           "user_add", "user_disable", "user_passwd", "ingest_cli")
AUDIT_LOCK_TIMEOUT_S = float(os.environ.get("PLEDGEWATCH_AUDIT_LOCK_TIMEOUT", "3"))
LIST_LIMIT = 5000


def now() -> dt.datetime:
    """The current time in UTC without tzinfo (audit_log.happened_at, users.locked_until are UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def cli_source() -> str:
    """The source of a command-line change: 'cli:<OS user>'."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        who = str(os.getuid())
    return f"cli:{who}"


@dataclass(frozen=True)
class Entry:
    """One audit row before it is written; ``happened_at`` defaults to now (UTC)."""

    action: str
    username: str | None = None
    role: str | None = None
    organisation: str | None = None
    object: str | None = None
    detail: str | None = None
    source: str = "app"
    happened_at: dt.datetime = field(default_factory=now)

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"unknown audit action {self.action!r} / 未知的审计动作 {self.action!r}")


def _sql(name: str) -> str:
    return sqlfiles.read(SQL_DIR / f"{name}.sql")


def insert(con, entry: Entry) -> None:
    """Append ``entry`` on an open write connection (inside the caller's transaction, if any)."""
    sql = _sql("audit_insert")
    values = asdict(entry)
    values["happened_at"] = entry.happened_at.isoformat(sep=" ")
    con.execute(sql, sqlfiles.bind(sql, values))


def spool_path(db=None) -> Path:
    """Where rows wait while the database is locked: ``<db>.audit-spool``."""
    path = store.resolve_db(db)
    return path.with_name(path.name + ".audit-spool")


def _spool(db, entry: Entry) -> None:
    row = dict(asdict(entry), happened_at=entry.happened_at.isoformat(sep=" "))
    fd = os.open(spool_path(db), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def flush_spool(con, db=None) -> int:
    """Move spooled rows into audit_log on ``con`` (a write connection to ``db``); the number moved.
    Holding the DuckDB write lock makes this process the only flusher; flock keeps appenders out
    while the file is read and emptied."""
    path = spool_path(db)
    if not path.exists():
        return 0
    with path.open("r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        rows = [json.loads(line) for line in fh if line.strip()]
        for row in rows:
            row["happened_at"] = dt.datetime.fromisoformat(row["happened_at"])
            insert(con, Entry(**row))
        fh.seek(0)
        fh.truncate()
    return len(rows)


def write(db, entry: Entry | list[Entry], timeout: float | None = None) -> bool:
    """Append ``entry`` (or a list of them) through one short write connection; True when they
    reached audit_log, False when the lock stayed taken (or the database file is missing) and they
    were spooled instead."""
    path = store.resolve_db(db)
    entries = entry if isinstance(entry, list) else [entry]
    if path.exists():  # never create a database just to log into it
        try:
            with store.write_connection(path, timeout=AUDIT_LOCK_TIMEOUT_S if timeout is None else timeout) as con:
                flush_spool(con, path)
                for e in entries:
                    insert(con, e)
            return True
        except store.StoreLocked:
            pass
    for e in entries:
        _spool(path, e)
    return False


def record_cli_ingest(db, results) -> None:
    """One ``ingest_cli`` row per sheet a CLI ingest read (object: file and sheet; detail: batch,
    outcome and rows; the file's SHA-256 is in that batch's ingest_batches row), source 'cli:<OS user>'."""
    source = cli_source()
    entries = []
    for r in results:
        name = r.file_name + (f" [{r.sheet}]" if r.sheet else "")
        detail = (f"batch={r.batch_id} outcome={r.outcome} kind={r.kind} rows_read={r.rows_read} "
                  f"rows_loaded={r.rows_loaded} rows_rejected={r.rows_rejected}")
        entries.append(Entry("ingest_cli", username=source.removeprefix("cli:"), object=name, detail=detail,
                             source=source))
    if entries:
        write(db, entries)


def _frame(cursor) -> pd.DataFrame:
    rows = cursor.fetchall()
    return pd.DataFrame(rows, columns=[d[0] for d in cursor.description])


def rows(con, username=None, action=None, date_from=None, date_to=None, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """Audit rows, newest first, filtered by user, action and an inclusive range of UTC days."""
    sql = _sql("audit_list")
    p = {"username": username or None, "action": action or None, "date_from": date_from, "date_to": date_to,
         "limit": int(limit)}
    return _frame(con.execute(sql, sqlfiles.bind(sql, p)))


def usernames(con) -> list[str]:
    """Every username that appears in the audit log, sorted."""
    return [r[0] for r in con.execute(_sql("audit_users")).fetchall()]
