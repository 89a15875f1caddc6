"""Ledger ingestion: read bank ledgers (CSV/XLSX), convert and validate them in SQL, merge into DuckDB.

    python -m pipelines.ingest --db PATH [--kind KIND] FILE_OR_DIR...

Each file is one transaction (all its sheets). Per sheet: the reader (readers.py) hands the raw
text rows to DuckDB; ``sql/stage_<kind>.sql`` converts every value and lists each row's bad
cells; ``check_*.sql`` add unknown loans and duplicate keys; the good rows are merged
(``merge_*.sql``: new rows inserted, identical rows left alone, corrected rows replace the stored
ones, which go to ``<kind>_history``); the bad ones go to ``rejects``; one ``ingest_batches``
row records the sheet. A file whose SHA-256 was loaded before is skipped. Exit codes: 0 all
files read (rejected rows included), 2 a file was refused, 3 the database stayed locked, 4 the load
ran out of memory (nothing of the delivery was loaded).

Python API (used by the dashboard's import page): ``preview``, ``ingest_paths``, ``FileRefused``.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
from stdnum.cn import uscc

from pipelines import columns, limits, messages, profile, readers, sqlfiles, store
from pipelines.messages import FileRefused
from pipelines.readers import RawSheet

SQL_DIR = Path(__file__).with_name("sql")
# extra read_csv options: none in use; tests shrink buffer_size so that a small file is read in
# parallel chunks and the record numbering is checked the way a big file is read
_CSV_READ_OPTIONS: dict = {}
_README_LIKE = re.compile(r"^(readme|license|licence|changelog|notes?)\b|说明", re.IGNORECASE)

__all__ = ["BatchResult", "FileRefused", "SheetPreview", "ingest_paths", "main", "preview"]


@dataclass
class SheetPreview:
    """What loading one sheet would do, without writing anything."""

    kind: str | None
    sheet: str | None
    rows_read: int
    good: pd.DataFrame      # converted rows that would load (row_number, table columns, action)
    rejects: pd.DataFrame   # row_number, column_name, raw_value, reason_zh, reason_en
    refused: FileRefused | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): unknown columns that may be missing ones


@dataclass
class BatchResult:
    """The outcome of one sheet (or of a whole refused / skipped file)."""

    batch_id: int | None
    file_name: str
    sheet: str | None
    kind: str | None
    rows_read: int
    rows_loaded: int
    rows_unchanged: int
    rows_rejected: int
    outcome: str            # loaded / skipped / refused
    message_zh: str
    message_en: str
    reasons: dict[str, int] = field(default_factory=dict)           # reject code -> rows
    sample_rejects: list[tuple] = field(default_factory=list)       # first rejects rows


# ---------------------------------------------------------------- SQL files

def _sql(name: str, idents: dict[str, str] | None = None) -> str:
    """The text of sql/<name>.sql with template identifiers filled (whitelisted names only)."""
    text = sqlfiles.read(SQL_DIR / f"{name}.sql")
    for key, value in (idents or {}).items():
        text = text.replace("{" + key + "}", value)
    return text


def _run(con, sql: str, params: dict | None = None, prefix: str = ""):
    """Execute SQL binding only the $names it uses (DuckDB refuses unused ones)."""
    bound = sqlfiles.bind(sql, params or {}, strict=False)
    return con.execute(prefix + sql, bound) if bound else con.execute(prefix + sql)


# C0 control characters a cell may not hold (tab, line feed and carriage return may), and the
# Unicode pictures (U+2400…) that show them in a rejected raw value
_CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
_PICTURES = "".join(chr(0x2400 + ord(c)) for c in _CONTROLS)


def _prepare(con) -> None:
    """Macros, limits and small lookup tables every stage needs, once per connection."""
    for name in ("max_money", "min_date", "max_date"):  # read by the macros through getvariable()
        con.execute(f"set variable pw_{name} = $value", {"value": limits.get(name)})  # name from the tuple above
    con.execute(_sql("macros"))
    aliases = columns.enum_aliases()
    con.register("enum_alias", pa.table({
        "domain": [a[0] for a in aliases], "spelling": [a[1] for a in aliases], "value": [a[2] for a in aliases],
    }))
    texts = messages.reasons()
    codes = list(texts)
    con.register("reasons", pa.table({
        "code": codes,
        "reason_zh": [texts[c][0] for c in codes],
        "reason_en": [texts[c][1] for c in codes],
    }))


# ---------------------------------------------------------------- staging one sheet

def _register_source(con, sheet: RawSheet) -> tuple[str, list[str]]:
    """Copy the sheet's cells, trimmed, into temp table raw_src (raw_trimmed.sql); returns the
    select list that numbers its records (raw_named.sql's {numbered}) and the cell columns."""
    _drop_source(con)
    if sheet.csv_path is not None:
        names = [f"c{i}" for i in range(sheet.ncols)]
        try:
            # Dialect and columns are known from the header: no sniffing, every column text.
            rel = con.read_csv(str(sheet.csv_path), header=False, skiprows=sheet.header_row, auto_detect=False,
                               columns=dict.fromkeys(names, "VARCHAR"), sep=sheet.delimiter, quotechar='"',
                               escapechar='"', null_padding=True, **_line_size(), **_CSV_READ_OPTIONS)
        except duckdb.Error as exc:
            raise _malformed(sheet, exc) from None
        con.register("raw_in", rel)  # a temp view: works on a read-only connection too
        # The copy keeps the file's order only with preserve_insertion_order on (DuckDB's default,
        # which the merge and the stored build switch off for their own statements): say so here
        # rather than rely on every other statement having reset it.
        con.execute("set preserve_insertion_order = true")
        try:
            con.execute(_sql("raw_trimmed", {"keep": "", "trimmed_cells": _trimmed(names)}))
        except duckdb.InvalidInputException as exc:  # a malformed line met while reading
            raise _malformed(sheet, exc) from None
        finally:
            _unregister(con, "raw_in")
        # Copied in file order, the records take consecutive rowids (from 0, or from a large base
        # inside a transaction): rowid − first rowid + 1 is the record's number. row_number() over ()
        # says the same but runs on one thread and keeps every later step of the staging on it
        # (5.1 s instead of 1.6 s to trim 5.4 M repayment rows), so it only serves if the rowids
        # ever leave a gap.
        first, last, count = con.execute("select min(rowid), max(rowid), count(*) from raw_src").fetchall()[0]
        if count and last - first + 1 == count:
            return f"rowid - {int(first)} + 1 as _seq, *", names
        return "row_number() over () as _seq, *", names
    names = [n for n in sheet.table.column_names if n != "_seq"]
    con.register("raw_in", sheet.table)
    try:
        con.execute(_sql("raw_trimmed", {"keep": "_seq, ", "trimmed_cells": _trimmed(names)}))
    finally:
        _unregister(con, "raw_in")
    return "*", names


def _line_size() -> dict:
    """DuckDB's own line limit (2 MB) raised when max_line_bytes is (readers.py checks the lines)."""
    size = limits.get("max_line_bytes")
    return {"max_line_size": size} if size > 2_097_152 else {}


def _unregister(con, name: str) -> None:
    """Drop a registered view if there is one (DuckDB ignores a name never registered)."""
    try:
        con.unregister(name)
    except duckdb.Error:  # an aborted transaction refuses it; the next register replaces the view
        pass


def _trimmed(cells: list[str]) -> str:
    return ", ".join(f"nullif(trim({c}), '') as {c}" for c in cells)


def _drop_source(con) -> None:
    """Remove the previous sheet's raw_src."""
    con.execute("drop table if exists temp.raw_src")


def _malformed(sheet: RawSheet, exc: Exception) -> FileRefused:
    lines = str(exc).splitlines()
    detail = "; ".join([lines[0][:200], *[ln for ln in lines if ln.startswith("Expected Number of Columns")]])
    return messages.refuse(sheet.file_name, f"CSV 格式错误（{detail}）", f"malformed CSV ({detail})")


def _credit_codes(con, allowed: tuple[str, ...]) -> None:
    """Register credit_codes: python-stdnum's verdict (GB 32100-2015) on each distinct staged code
    that the vectorised SQL pre-check fails; the profile's allow-list passes. A code is rejected
    only when stdnum also finds it invalid (stdnum over 100,000 codes would cost a second)."""
    codes = [r[0] for r in con.execute(_sql("distinct_credit_codes")).fetchall()]
    exceptions = {uscc.compact(c) for c in allowed}
    ok = [c in exceptions or uscc.is_valid(c) for c in codes]
    _unregister(con, "credit_codes")  # a previous loans sheet's
    con.register("credit_codes", pa.table({"code": pa.array(codes, pa.string()), "ok": pa.array(ok, pa.bool_())}))


def _stage(con, sheet: RawSheet, params: dict, delivery: _Delivery | None = None) -> None:
    """Build staged, row_problems, problems and good_rows for one sheet (reads nothing else)."""
    try:
        _stage_sheet(con, sheet, params, delivery)
    except duckdb.InvalidInputException as exc:  # read_csv meets a malformed line while scanning
        raise _malformed(sheet, exc) from None


def _stage_sheet(con, sheet: RawSheet, params: dict, delivery: _Delivery | None) -> None:
    # Template identifiers below are positional cell names c0… and canonical column names only.
    numbered, cells = _register_source(con, sheet)
    named = []
    for col in columns.KINDS[sheet.kind]:
        pos = sheet.mapping.get(col.name)
        named.append(f"c{pos} as {col.name}" if pos is not None else f"null::varchar as {col.name}")
    extra_positions = list(sheet.extra_positions)
    extra_keys = list(sheet.extra_keys)
    for name in cells[sheet.ncols:]:  # cells beyond the header's width
        extra_positions.append(int(name[1:]))
        extra_keys.append(f"列{int(name[1:]) + 1}")
    extra_values = "[" + ", ".join(f"c{p}" for p in extra_positions) + "]::varchar[]"
    con.execute(_sql("raw_named", {
        "numbered": numbered,
        "named": ",\n        ".join(named),
        "extra_values": extra_values,
        "all_cells": ", ".join(cells)}))
    con.execute("create or replace temp table row_problems (_row bigint, column_name varchar, "
                "raw_value varchar, code varchar, detail varchar)")
    _check_cells(con, sheet, numbered, cells, extra_keys)
    bind = {"row_offset": sheet.header_row, "wan": sheet.wan_columns, "pct": sheet.pct_columns,
            "extra_keys": extra_keys}
    _run(con, _sql(f"stage_{sheet.kind}"), bind, prefix="create or replace temp table staged as\n")
    _drop_source(con)  # staged holds every value now; the raw text would only take memory
    if sheet.kind == "loans":
        _credit_codes(con, params["credit_code_exceptions"])
        con.execute("insert into row_problems " + _sql("check_credit_codes"))
    if "loan_id" in sheet.mapping and sheet.kind != "loans":
        con.execute("insert into row_problems " + _sql("check_unknown_loans"))
    if sheet.kind == "ip_status":  # its rows name IP, not loans: the IP must be pledged (LEDGER.md)
        con.execute("insert into row_problems " + _sql("check_unknown_ip"))
    idents, label = _duplicate_idents(sheet)
    if delivery is not None and delivery.given_before(sheet):
        _run(con, "insert into row_problems " + _sql("check_delivery_duplicates", idents), {"key_label": label})
    _run(con, "insert into row_problems " + _sql("check_duplicates", idents), {"key_label": label})
    _run(con, "create or replace temp table problems as " + _sql("problems"),
         {"max_cell_chars": limits.get("max_cell_chars"), "controls": _CONTROLS, "pictures": _PICTURES})
    con.execute(_sql("good_rows"))


def _check_cells(con, sheet: RawSheet, numbered: str, cells: list[str], extra_keys: list[str]) -> None:
    """Reject rows with a cell too long or holding a control character (check_cells.sql), named by
    the column a person reads: the canonical name, else the header cell (or 列N beyond it)."""
    if not (sheet.check_lengths or sheet.check_controls):
        return
    by_pos = {pos: name for name, pos in sheet.mapping.items()}
    extra = dict(zip(sheet.extra_positions, extra_keys, strict=False))
    names = [by_pos.get(i) or extra.get(i) or f"列{i + 1}" for i in range(len(cells))]
    _run(con, "insert into row_problems " + _sql("check_cells", {
        "numbered": numbered,
        "cells": ", ".join(cells),
        "lengths": ", ".join(f"coalesce(length({c}), 0)" for c in cells)}), {
        "row_offset": sheet.header_row, "cell_names": names, "max_cell_chars": limits.get("max_cell_chars"),
        "check_lengths": sheet.check_lengths, "check_controls": sheet.check_controls})


def _duplicate_idents(sheet: RawSheet) -> tuple[dict[str, str], str]:
    """Template identifiers for check_duplicates.sql (from store.LEDGER_KEYS only) and the key's
    label in rejects: what a person reads as the key (a repayment's txn_id, or its row values)."""
    keys = store.LEDGER_KEYS[sheet.kind]
    shown = list(keys)
    if keys == ("row_key",):
        shown = [c.name for c in columns.KINDS["repayments"] if c.name != "txn_id"]
    key_text = "concat_ws(' / ', " + ", ".join(f"staged.{k}::varchar" for k in shown) + ")"
    if keys == ("row_key",):
        key_text = f"coalesce(staged.txn_id, {key_text})"
        shown = ["txn_id"] if "txn_id" in sheet.mapping else shown
    key_match = " and ".join(f"suspects.{k} is not distinct from repeated.{k}" for k in keys)
    delivered_match = " and ".join(f"candidates.{k} is not distinct from delivered.{k}" for k in keys)
    return {"table": sheet.kind, "key_cols": ", ".join(keys), "key_match": key_match, "key_text": key_text,
            "delivered_match": delivered_match}, ", ".join(shown)


class _Delivery:
    """The keys the sheets of one delivery gave so far, kept only for kinds a later sheet of the
    delivery gives again (a workbook with two loans sheets, a loans sheet and a loans CSV): the same
    key twice in one delivery is a conflict, not a correction (check_delivery_duplicates.sql)."""

    def __init__(self, con, sheets: list[RawSheet]):
        self.con = con
        self.left = collections.Counter(s.kind for s in sheets)
        self.kept: set[str] = set()
        for kind in self.left:  # a retried delivery starts afresh (names from store.LEDGER_KEYS)
            con.execute(f"drop table if exists temp.delivered_{kind}")

    def given_before(self, sheet: RawSheet) -> bool:
        """True when an earlier sheet of the delivery was of the sheet's kind."""
        return sheet.kind in self.kept

    def note(self, sheet: RawSheet) -> None:
        """Remember the good rows of the sheet just staged when a later sheet has its kind."""
        self.left[sheet.kind] -= 1
        if not self.left[sheet.kind]:
            return
        idents, _ = _duplicate_idents(sheet)
        place = sheet.file_name + (f" [{sheet.sheet}]" if sheet.sheet else "")
        verb = (f"insert into temp.delivered_{sheet.kind} " if sheet.kind in self.kept
                else f"create temp table delivered_{sheet.kind} as ")
        _run(self.con, verb + _sql("delivered_keys", idents), {"place": place})
        self.kept.add(sheet.kind)


def _merge_idents(kind: str) -> dict[str, str]:
    """Template identifiers for merge_*.sql, from store.LEDGER_KEYS and columns.KINDS only."""
    assert kind in store.LEDGER_KEYS
    required = {c.name for c in columns.KINDS[kind] if c.required} | {"row_key"}
    key_join = " and ".join(
        f"incoming.{k} = stored.{k}" if k in required else f"incoming.{k} is not distinct from stored.{k}"
        for k in store.LEDGER_KEYS[kind])
    same_row = " and ".join(f"incoming.{c} is not distinct from stored.{c}" for c in columns.table_columns(kind))
    return {"table": kind, "key_join": key_join, "same_row": same_row}


def _reasons(con) -> dict[str, int]:
    return dict(con.execute("select code, count(distinct _row) from problems group by code order by 2 desc")
                .fetchall())


# ---------------------------------------------------------------- preview

def preview(path, kind: str | None = None, db=None) -> list[SheetPreview]:
    """Read and validate one file without writing anything; one SheetPreview per ledger sheet.

    Known loans and stored rows come from the database (opened read-only) when it exists, so
    unknown-loan rejects and the new / same / changed action match what a load would do.
    """
    path = Path(path)
    try:
        sheets = readers.read_file(path, kind)
    except FileRefused as exc:
        return [SheetPreview(kind, None, 0, pd.DataFrame(), pd.DataFrame(), exc)]
    db_path = store.resolve_db(db)
    params = {"credit_code_exceptions": profile.load().credit_code_exceptions}
    out = []
    if db_path.exists():
        ctx = store.read_connection(db_path)
    else:
        ctx = _MemoryStore()
    with ctx as con:
        _prepare(con)
        delivery = _Delivery(con, sheets)
        for sheet in _in_load_order(sheets):
            try:
                _stage(con, sheet, params, delivery)
            except FileRefused as exc:
                return [SheetPreview(sheet.kind, sheet.sheet, 0, pd.DataFrame(), pd.DataFrame(), exc)]
            delivery.note(sheet)
            con.execute(_sql("merge_matched", _merge_idents(sheet.kind)))
            rows_read = con.execute("select count(*) from staged").fetchall()[0][0]
            good = con.execute("select g._row as row_number, g.* exclude (_row), coalesce(m._action, 'new') "
                               "as action from good_rows g left join merge_matched m using (_row) "
                               "order by g._row").df()
            rejects = con.execute(
                "select p._row as row_number, p.column_name, p.raw_value, "
                "replace(r.reason_zh, '{detail}', coalesce(p.detail, '')) as reason_zh, "
                "replace(r.reason_en, '{detail}', coalesce(p.detail, '')) as reason_en "
                "from problems p join reasons r using (code) order by 1, 2").df()
            out.append(SheetPreview(sheet.kind, sheet.sheet, rows_read, good, rejects,
                                    notes=[messages.hint_text(h) for h in sheet.hints]))
            if sheet.kind == "loans":
                con.execute(_sql("preview_loans"))
    return out


class _MemoryStore:
    """An in-memory database with the schema, for previews before any database exists."""

    def __enter__(self):
        self.con = duckdb.connect()
        store.init_schema(self.con)
        return self.con

    def __exit__(self, *exc):
        self.con.close()


def _in_load_order(sheets: list[RawSheet]) -> list[RawSheet]:
    return sorted(sheets, key=lambda s: store.LOAD_ORDER.index(s.kind))


# ---------------------------------------------------------------- loading

def _load_sheet(con, sheet: RawSheet, sha: str, params: dict, delivery: _Delivery | None = None) -> BatchResult:
    """Stage, check and merge one sheet inside the delivery's transaction; returns its counts."""
    started = datetime.now()
    _stage(con, sheet, params, delivery)
    if delivery is not None:
        delivery.note(sheet)
    batch_id = con.execute("select nextval('batch_seq')").fetchall()[0][0]
    idents = _merge_idents(sheet.kind)
    con.execute(_sql("merge_matched", idents))
    rows_read, loaded, unchanged, rejected = con.execute(_sql("sheet_counts")).fetchall()[0]
    stamp = {"batch_id": batch_id, "replaced_at": started}
    _run(con, _sql("merge_history", idents), stamp)
    _run(con, _sql("merge_delete", idents), stamp)
    # Row order in a ledger table carries no meaning: let DuckDB insert in parallel.
    con.execute("set preserve_insertion_order = false")
    try:
        _run(con, _sql("merge_insert", idents), stamp)
    finally:
        con.execute("reset preserve_insertion_order")
    _run(con, _sql("rejects_insert"), {"batch_id": batch_id, "file_name": sheet.file_name, "sheet": sheet.sheet})
    zh, en = messages.batch_line(sheet.file_name, sheet.sheet, sheet.kind, rows_read, loaded, unchanged, rejected,
                                 [messages.hint_text(h) for h in sheet.hints])
    _run(con, _sql("batch_insert"), {
        "batch_id": batch_id, "file_name": sheet.file_name, "sheet": sheet.sheet, "sha256": sha,
        "kind": sheet.kind, "rows_read": rows_read, "rows_loaded": loaded, "rows_unchanged": unchanged,
        "rows_rejected": rejected, "started_at": started, "finished_at": datetime.now(),
        "message_zh": zh, "message_en": en})
    sample = con.execute("select row_number, column_name, raw_value, reason_zh, reason_en from rejects "
                         "where batch_id = ? order by row_number, column_name limit 5", [batch_id]).fetchall()
    return BatchResult(batch_id, sheet.file_name, sheet.sheet, sheet.kind, rows_read, loaded, unchanged,
                       rejected, "loaded", zh, en, _reasons(con), sample)


def _refused(exc: FileRefused) -> BatchResult:
    return BatchResult(None, exc.file_name, None, None, 0, 0, 0, 0, "refused", exc.message_zh, exc.message_en)


def _archive(path: Path, sha: str, db_path: Path) -> None:
    """Keep the received file under <db dir>/archive/<sha256><ext> (written aside, then moved)."""
    folder = db_path.parent / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)


def collect_files(paths) -> list[Path]:
    """Files named, and files under folders named (recursively), without hidden or README-like files."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if not f.is_file() or any(part.startswith(".") for part in rel):
                    continue
                if f.suffix.lower() == ".md" or (f.suffix.lower() == ".txt" and _README_LIKE.search(f.stem)):
                    continue
                out.append(f)
        else:
            out.append(p)
    return out


def ingest_paths(paths, db=None, kind: str | None = None, after_load=None,
                 profile_name: str | None = None) -> list[BatchResult]:
    """Load files and folders into the database; one BatchResult per sheet, refused files included.

    The files load as one delivery (_load_delivery): one transaction, sheets in store.LOAD_ORDER
    whatever the file names or sheet order.
    ``after_load``, given by the caller, is told about the load on the same write connection:
    ``after_load.before(con)`` before the first file, ``after_load.after(con, profile, loaded,
    token)`` once the files are committed (the CLI and the import page pass the engine's
    derived-table refresh, queries.derived.AFTER_LOAD; pipelines never imports queries).
    Raises store.StoreLocked when the database stays locked past PLEDGEWATCH_LOCK_TIMEOUT.
    """
    db_path = store.resolve_db(db)
    prof = profile.load(profile_name)
    params = {"credit_code_exceptions": prof.credit_code_exceptions}
    results: list[BatchResult] = []
    ready: list[tuple[int, int, Path, str, list[RawSheet]]] = []
    for n, path in enumerate(collect_files(paths)):
        try:
            sheets = readers.read_file(path, kind)
        except FileRefused as exc:
            results.append(_refused(exc))
            continue
        first = min(store.LOAD_ORDER.index(s.kind) for s in sheets)
        ready.append((first, n, path, sheets[0].sha256 or readers.sha256_of(path), sheets))
    ready.sort(key=lambda item: item[:2])
    if not ready:
        return results
    with store.write_connection(db_path) as con:
        _prepare(con)
        token = after_load.before(con) if after_load is not None else None
        fresh, named = [], {}
        for _, n, path, sha, sheets in ready:
            prior = con.execute("select min(batch_id) from ingest_batches where sha256 = ?", [sha]).fetchall()[0][0]
            if prior is not None:
                zh, en = messages.already_loaded(path.name, prior)
                results.append(BatchResult(None, path.name, None, sheets[0].kind, 0, 0, 0, 0, "skipped", zh, en))
            elif sha in named:  # the same file twice in one delivery (a folder and a file in it)
                zh, en = messages.named_twice(path.name, named[sha])
                results.append(BatchResult(None, path.name, None, sheets[0].kind, 0, 0, 0, 0, "skipped", zh, en))
            else:
                named[sha] = path.name
                fresh.append((n, path, sha, sheets))
        finished = []  # whether the hook ran inside the delivery's transaction

        def finish(loaded: list) -> None:
            finished.append(True)
            if after_load is not None:
                after_load.after(con, prof, loaded, token)

        results.extend(_load_delivery(con, fresh, params, finish))
        for _, path, sha, _ in fresh:
            if any(r.outcome == "loaded" and r.file_name == path.name for r in results):
                _archive(path, sha, db_path)
        if after_load is not None and not finished:  # nothing was loaded: stale tables still get rebuilt
            _after_nothing_loaded(con, lambda: after_load.after(con, prof, [], token))
    return results


def _after_nothing_loaded(con, hook) -> None:
    """The after-load hook when no file was loaded, in its own transaction: it can only rebuild
    stored intermediates left stale; if that fails the store stays as it was (queries compute in
    memory) and a bilingual note says so."""
    con.execute("begin transaction")
    try:
        hook()
        con.execute("commit")
    except duckdb.OutOfMemoryException:
        con.execute("rollback")
        raise
    except duckdb.Error as exc:
        con.execute("rollback")
        zh, en = messages.stored_not_rebuilt(str(exc).splitlines()[0][:200])
        print(f"{zh}\n{en}", file=sys.stderr)
    except BaseException:
        con.execute("rollback")
        raise


def _load_delivery(con, files: list, params: dict, finish=None) -> list[BatchResult]:
    """Load every sheet of ``files`` ((order, path, sha, sheets)) in one transaction, all or nothing,
    sheet by sheet in dependency order (store.LOAD_ORDER, then file and sheet order): the loans of any
    file come before the repayments of any other, whatever the files are called. A file refused while
    loading is left out and the others are loaded again from the start, so a refused file never
    leaves half of itself, and a kill at any point leaves the database as before the delivery.
    ``finish(loaded)`` runs last inside the same transaction (the caller's after-load hook: the
    engine's refresh); if it fails, the whole delivery is rolled back and every file refused with the
    reason (running out of memory is raised, for the caller's exit code)."""
    refused: list[BatchResult] = []
    while files:
        sheets = sorted(((store.LOAD_ORDER.index(s.kind), n, i, sha, s) for n, _, sha, ss in files
                         for i, s in enumerate(ss)), key=lambda item: item[:3])
        con.execute("begin transaction")
        done, current = [], None
        try:
            delivery = _Delivery(con, [item[-1] for item in sheets])
            for _, n, _, sha, sheet in sheets:
                current = n  # the file a refusal leaves out
                done.append(_load_sheet(con, sheet, sha, params, delivery))
            if finish is not None:
                try:
                    finish([r for r in done if r.outcome == "loaded"])
                except duckdb.OutOfMemoryException:
                    raise
                except duckdb.Error as exc:
                    con.execute("rollback")
                    zh, en = messages.refresh_failed(str(exc).splitlines()[0][:200])
                    return refused + [BatchResult(None, path.name, None, ss[0].kind, 0, 0, 0, 0, "refused", zh, en)
                                      for _, path, _, ss in files]
            con.execute("commit")
            return refused + done
        except FileRefused as exc:
            con.execute("rollback")
            refused.append(_refused(exc))
            files = [f for f in files if f[0] != current]
        except BaseException:
            con.execute("rollback")
            raise
    return refused


# The CLI's after-load hook, named as data (module:attribute) rather than imported: it is the
# engine's derived-table refresh, one layer up, and layers point down (dashboard → queries →
# pipelines). The import page passes the same object directly.
AFTER_LOAD_HOOK = "queries.derived:AFTER_LOAD"


def cli_after_load():
    """The after-load hook the command line passes to ingest_paths (AFTER_LOAD_HOOK)."""
    module, _, name = AFTER_LOAD_HOOK.partition(":")
    return getattr(importlib.import_module(module), name)


# ---------------------------------------------------------------- command line

def _print_summary(results: list[BatchResult]) -> None:
    for r in results:
        if r.outcome == "refused":
            print(f"{r.message_zh}\n{r.message_en}", file=sys.stderr)
        else:
            print(f"{r.message_zh}\n  {r.message_en}")
    totals: dict[str, int] = {}
    for r in results:
        for code, n in r.reasons.items():
            totals[code] = totals.get(code, 0) + n
    if not totals:
        return
    print("\n拒绝行汇总 / Rejected rows by reason:")
    for code, n in sorted(totals.items(), key=lambda kv: -kv[1]):
        zh, en = (t.replace("{detail}", "…") for t in messages.reasons()[code])
        print(f"  {n:>8}  {zh} / {en}")
    print("\n示例 / Examples (文件 file, 工作表 sheet, 行 row, 列 column, 值 value, 原因 reason):")
    shown = 0
    for r in results:
        for row, col, raw, zh, en in r.sample_rejects:
            if shown >= 10:
                return
            where = r.file_name + (f" [{r.sheet}]" if r.sheet else "")
            print(f"  {where} 行/row {row} {col} = {raw!r}: {zh} / {en}")
            shown += 1


def main(argv: list[str] | None = None) -> int:
    """Command line entry; returns the exit code (0 read, 2 a file refused, 3 database locked, 4 out of
    memory)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.ingest",
        description="载入台账文件（CSV/XLSX）到 PledgeWatch 数据库 / Load ledger files into the PledgeWatch database")
    parser.add_argument("--db", help="数据库路径 / database path (default: $PLEDGEWATCH_DB or data/portfolio.duckdb)")
    parser.add_argument("--kind", choices=list(columns.KINDS),
                        help="台账类型（默认按表头识别）/ ledger kind (default: recognised from the header)")
    parser.add_argument("--profile", help="项目参数名称（data/profiles/ 中的文件名）/ program profile name "
                                          "(a file of data/profiles/; default $PLEDGEWATCH_PROFILE or anyi)")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    args = parser.parse_args(argv)
    try:
        results = ingest_paths(args.paths, db=args.db, kind=args.kind, after_load=cli_after_load(),
                               profile_name=args.profile)
    except store.StoreLocked as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 3
    except (profile.ProfileError, limits.BadLimit) as exc:  # nothing was read: exit as for a refusal
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 2
    except (duckdb.OutOfMemoryException, MemoryError) as exc:  # the delivery's transaction was rolled back
        zh, en = messages.out_of_memory(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
        print(f"{zh}\n{en}", file=sys.stderr)
        return 4
    from pipelines import audit  # the CLI's own audit row (R-SCOPE): the OS user who ran the load
    audit.record_cli_ingest(args.db, results)
    _print_summary(results)
    return 2 if any(r.outcome == "refused" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
