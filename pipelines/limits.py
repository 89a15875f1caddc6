"""Bounds on every input the ingestion accepts, declared once with default and help (datasette's ``Setting``).

A ledger beyond a bound is refused whole, or its row rejected, with a message that names the
limit, instead of being read until memory or the DECIMAL arithmetic of the rules gives out.
Each limit can be overridden by the environment variable ``PLEDGEWATCH_<NAME>`` (upper case);
a test checks that every one is documented in the README and docs/LEDGERS.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Limit:
    name: str
    default: int | Decimal | date
    help_zh: str
    help_en: str

    @property
    def env(self) -> str:
        return f"PLEDGEWATCH_{self.name.upper()}"


LIMITS: tuple[Limit, ...] = (
    # 1 GB and 20 M rows: a 500,000-loan book's repayments file (5.4 M rows, 270 MB) loads, a 2 GB
    # sparse file does not; a 2 M-loan run sets PLEDGEWATCH_MAX_FILE_MB higher
    Limit("max_file_mb", 1024, "单个文件最大大小（MB），超过则整份拒收，不读取也不归档",
          "largest file in MB; a bigger one is refused before it is read or archived"),
    Limit("max_unpacked_mb", 1000, "XLSX 解压后各部分合计最大大小（MB）",
          "largest total unpacked size of an XLSX's parts, MB"),
    Limit("max_rows", 20_000_000, "每个 CSV 最多数据行数", "most rows of one CSV"),
    Limit("max_xlsx_rows", 1_048_576, "每个 XLSX 工作表最多行数（Excel 表格本身最多 1,048,576 行）",
          "most rows of one XLSX sheet (Excel's own grid has 1,048,576)"),
    Limit("max_columns", 200, "每个工作表/CSV 最多列数", "most columns of one sheet or CSV"),
    Limit("max_line_bytes", 1_048_576, "CSV 一行最大字节数，超过则整份拒收",
          "longest CSV line in bytes; a longer one refuses the file"),
    Limit("max_cell_chars", 1000, "一个单元格最多字符数，超过则该行拒收",
          "most characters in one cell; a longer cell rejects its row"),
    Limit("max_money", Decimal("10000000000.00"), "金额上限（元），超过则该行拒收",
          "largest money amount in yuan; a bigger one rejects its row"),
    Limit("min_date", date(1990, 1, 1), "最早可接受的日期", "earliest date accepted"),
    Limit("max_date", date(2100, 12, 31), "最晚可接受的日期", "latest date accepted"),
)

_BY_NAME = {lim.name: lim for lim in LIMITS}


class BadLimit(ValueError):
    """An environment variable that overrides a limit holds no usable value."""

    def __init__(self, limit: Limit, raw: str):
        self.message_zh = f"环境变量 {limit.env} 的值 {raw!r} 无效（默认 {limit.default}）"
        self.message_en = f"environment variable {limit.env} = {raw!r} is not a valid value (default {limit.default})"
        super().__init__(f"{self.message_zh}\n{self.message_en}")


def get(name: str):
    """The limit's value: the environment variable when set, else the default."""
    limit = _BY_NAME[name]
    raw = os.environ.get(limit.env)
    if raw is None or raw.strip() == "":
        return limit.default
    try:
        if isinstance(limit.default, date):
            value = date.fromisoformat(raw.strip())
        elif isinstance(limit.default, Decimal):
            value = Decimal(raw.strip())
            if not value.is_finite():
                raise InvalidOperation
        else:
            value = int(raw.strip())
    except (ValueError, InvalidOperation):
        raise BadLimit(limit, raw) from None
    if not isinstance(value, date) and value <= 0:
        raise BadLimit(limit, raw)
    return value


def shown(name: str) -> str:
    """'name = value' for messages, so a refusal says which limit it met."""
    value = get(name)
    text = f"{value:,}" if isinstance(value, (int, Decimal)) else str(value)
    return f"{name} = {text}"
