"""The demo generator's command line.

    python -m demo --out data/demo                       # messy story files (default)
    python -m demo --out DIR --loans 100000 --format csv  # plain canonical CSV, any size

Messy story files: demo/messy.py; canonical CSV at scale: demo/scale.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from demo.messy import write_messy
from demo.scale import generate_scale
from demo.story import SEED


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m demo",
                                     description="生成演示数据 / write deterministic demo ledgers")
    parser.add_argument("--out", required=True, type=Path, help="输出目录 / output directory")
    parser.add_argument("--loans", type=int, default=None,
                        help="贷款笔数，仅用于 csv 格式 / number of loans (csv format only; the story has ~195)")
    parser.add_argument("--seed", type=int, default=SEED, help="随机种子 / random seed")
    parser.add_argument("--format", choices=("messy", "csv"), default="messy",
                        help="messy: 银行原样台账 / bank-style files; csv: 规范列名 CSV / canonical CSV at scale")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.format == "csv":
        paths = generate_scale(args.out, args.loans or 180, args.seed)
    else:
        if args.loans is not None:
            print("提示：故事数据的笔数固定，--loans 仅用于 --format csv / note: --loans applies to --format csv only",
                  file=sys.stderr)
        paths = write_messy(args.out, args.seed)
    for path in paths.values():
        print(path)
    print(f"用时 / took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
