"""Report JSON before and after a change: byte-for-byte, at many dates (issue 10's "every figure
unchanged").

    # 1. reports from a checkout of the old code (a git worktree), into OLD
    python tests/compare_reports.py write --code /path/to/old/checkout --out OLD
    # 2. the same from this checkout, into NEW
    python tests/compare_reports.py write --code . --out NEW
    # 3. compare
    python tests/compare_reports.py compare OLD NEW

``write`` builds two databases with the checkout's own ingest (``python -m pipelines.ingest``, run
in a subprocess from ``--code``): the demo ledgers (data/demo) and a generated book of ``--loans``
loans (20,000 by default; the files are generated once per ``--cache`` folder and shared by both
runs, so both checkouts read the same bytes). It then writes ``python -m queries.report --format
json`` of the checkout at every month end of the demo (48) and at three dates of the book, as
``demo_<date>.json`` / ``book_<date>.json``. Not part of the test suite: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK_DATES = ("2024-06-30", "2025-03-31", "2025-12-31")


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, d = [], first
    while d <= last:
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append(nxt - dt.timedelta(days=1))
        d = nxt
    return out


def _run(code: Path, args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=code, check=True, **kw)


def _book_files(cache: Path, loans: int) -> Path:
    """The generated book's CSVs, written once with this checkout's generator (same bytes for both)."""
    folder = cache / f"book_{loans}"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        module = "demo" if (ROOT / "demo" / "__init__.py").exists() else "pipelines.demo"
        _run(ROOT, ["-m", module, "--out", str(folder), "--loans", str(loans), "--format", "csv"])
        (folder / ".done").touch()
    return folder


def write(code: Path, out: Path, cache: Path, loans: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    dbs = {"demo": (code / "data" / "demo", [d.isoformat() for d in month_ends(dt.date(2022, 1, 1),
                                                                                 dt.date(2025, 12, 31))]),
           "book": (_book_files(cache, loans), list(BOOK_DATES))}
    for name, (source, dates) in dbs.items():
        db = out / f"{name}.duckdb"
        db.unlink(missing_ok=True)
        _run(code, ["-m", "pipelines.ingest", "--db", str(db), str(source)], stdout=subprocess.DEVNULL)
        for day in dates:
            _run(code, ["-m", "queries.report", "--db", str(db), "--as-of", day, "--format", "json",
                        "--out", str(out / f"{name}_{day}.json")])
        db.unlink()
    print(f"{len(list(out.glob('*.json')))} reports in {out}")


def compare(old: Path, new: Path) -> int:
    names = sorted(p.name for p in old.glob("*.json"))
    other = sorted(p.name for p in new.glob("*.json"))
    if names != other:
        print(f"different sets of reports: only old {sorted(set(names) - set(other))}, "
              f"only new {sorted(set(other) - set(names))}")
        return 1
    differ = [n for n in names if not filecmp.cmp(old / n, new / n, shallow=False)]
    print(f"{len(names)} reports compared, {len(differ)} differ" + (f": {differ}" if differ else ""))
    return 1 if differ else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--code", type=Path, required=True, help="checkout whose ingest and report run")
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--cache", type=Path, default=Path("/tmp/compare_reports_cache"))
    w.add_argument("--loans", type=int, default=20000)
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "write":
        write(args.code.resolve(), args.out.resolve(), args.cache.resolve(), args.loans)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
