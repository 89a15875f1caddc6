"""Reading ledger files into raw text columns: CSV (UTF-8, UTF-8-BOM, GBK/GB18030) and XLSX.

The reader finds each sheet's header row (title rows such as a report title or a ``单位：万元``
line may sit above it), recognises the ledger kind from the header, and hands the data rows on
as text, untouched: every conversion and check happens later in SQL.

* A plain UTF-8 CSV (with or without BOM) without blank lines is read by DuckDB's own
  ``read_csv`` (``all_varchar``): no Python pass over the rows, which keeps big files fast.
* Any other CSV (GBK/GB18030, blank lines) is decoded in Python, because DuckDB 2.0 reads
  only UTF-8 here (STYLE.md), and parsed with the csv module.
* XLSX is read with openpyxl, every sheet a ledger of its own. Number cells are turned into
  exact decimal text through ``repr`` (the shortest text that round-trips the float), never
  by arithmetic in float; date cells become ISO dates; percent-formatted cells keep their ``%``.

Whatever cannot be read raises ``FileRefused`` with a bilingual message naming the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import charset_normalizer
import pyarrow as pa

from pipelines import columns
from pipelines.messages import FileRefused, refuse, refuse_missing_columns, refuse_unknown_kind

HEADER_SEARCH_ROWS = 30  # a header further down than this is not a ledger header
CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_DELIMITERS = (",", "\t", ";", "|")


@dataclass
class RawSheet:
    """One ledger found in a file: its kind, header and raw text rows (not yet converted)."""

    file_name: str
    sheet: str | None          # None for a CSV
    kind: str
    header: list[str]
    header_row: int            # 1-based row of the header in the file/sheet
    mapping: dict[str, int]    # canonical column -> position
    units: dict[str, str]      # canonical column -> 'wan' / 'pct' / 'yuan' stated by its header
    wan_title: bool            # a 单位：万元 line above the header
    ncols: int
    csv_path: Path | None = None       # UTF-8 CSV for DuckDB's read_csv (fast path)
    delimiter: str = ","
    table: pa.Table | None = None      # else: text columns c0…, plus _seq (1-based data row)
    extra_keys: list[str] = field(default_factory=list)
    extra_positions: list[int] = field(default_factory=list)
    sha256: str = ""                   # of the whole file

    @property
    def wan_columns(self) -> list[str]:
        """Money columns whose values are in 万元 (header says so, or the title line does)."""
        out = []
        for col in columns.KINDS[self.kind]:
            if col.type != columns.MONEY or col.name not in self.mapping:
                continue
            unit = self.units.get(col.name)
            if unit == "wan" or (unit is None and self.wan_title):
                out.append(col.name)
        return out

    @property
    def pct_columns(self) -> list[str]:
        """Rate columns whose header says the values are percentages."""
        return [c for c, u in self.units.items() if u == "pct"]


def sha256_of(path: Path) -> str:
    """SHA-256 of the file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_file(path: Path, kind: str | None = None) -> list[RawSheet]:
    """The ledgers in one file; raises FileRefused when the file cannot be used at all."""
    name = path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise refuse(name, f"无法打开（{exc.strerror}）", f"cannot be opened ({exc.strerror})") from None
    if not head:
        raise refuse(name, "文件为空", "the file is empty")
    ext = path.suffix.lower()
    if ext in XLSX_EXTENSIONS or (ext not in CSV_EXTENSIONS and head.startswith(b"PK\x03\x04")):
        return _read_xlsx(path, kind)
    if ext == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(name, "不支持旧版 .xls 格式，请另存为 .xlsx 或 CSV",
                     "old .xls workbooks are not supported; save it as .xlsx or CSV")
    return [_read_csv(path, kind)]


# ---------------------------------------------------------------- header

def _find_header(rows: list[list], name: str, sheet: str | None, kind: str | None):
    """(index of the header row, kind, mapping); raises FileRefused when there is none."""
    for idx, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(c not in (None, "") for c in row):
            continue
        found = kind or columns.detect_kind(row)
        if found:
            mapping = columns.map_header(found, row)
            if not columns.missing_required(found, mapping):
                return idx, found, mapping
    # No header: say which required columns the most similar row lacks.
    best = None
    for row in rows[:HEADER_SEARCH_ROWS]:
        guess = kind or columns.closest_kind(row)
        if guess:
            missing = columns.missing_required(guess, columns.map_header(guess, row))
            if best is None or len(missing) < len(best[1]):
                best = (guess, missing)
    if best:
        raise refuse_missing_columns(name, sheet, *best)
    raise refuse_unknown_kind(name, sheet)


def _sheet(name: str, sheet: str | None, rows: list[list], kind: str | None) -> RawSheet:
    idx, found, mapping = _find_header(rows, name, sheet, kind)
    header = ["" if c is None else str(c).strip() for c in rows[idx]]
    units = {col: u for col, pos in mapping.items() if (u := columns.header_unit(header[pos]))}
    wan_title = any(columns.is_wan_unit_line(r) for r in rows[:idx])
    used = set(mapping.values())
    extra_keys, extra_positions, seen = [], [], set()
    for pos, cell in enumerate(header):
        if pos in used:
            continue
        key = cell or f"列{pos + 1}"
        while key in seen:  # JSON object keys must be unique
            key += "'"
        seen.add(key)
        extra_keys.append(key)
        extra_positions.append(pos)
    return RawSheet(name, sheet, found, header, idx + 1, mapping, units, wan_title, len(header),
                    extra_keys=extra_keys, extra_positions=extra_positions)


def _text_table(rows: list[list], ncols: int) -> pa.Table:
    """Rows of text as an Arrow table c0…c{n-1} (wider rows keep their extra cells) and _seq."""
    width = max([ncols, *(len(r) for r in rows)]) if rows else ncols
    cols = {f"c{i}": pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)}
    cols["_seq"] = pa.array(range(1, len(rows) + 1), pa.int64())
    return pa.table(cols)


# ---------------------------------------------------------------- CSV

def _encoding(data: bytes, name: str) -> str:
    """The text encoding: UTF-8 (BOM or not), else GB18030 (a superset of GBK), else a detected one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data[:8192]:
        raise refuse(name, "不是 CSV/XLSX 表格（二进制内容）", "not a CSV/XLSX table (binary content)")
    body, bom = (data[3:], "utf-8-sig") if data.startswith(codecs.BOM_UTF8) else (data, "utf-8")
    if _is_utf8(body):
        return bom
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise refuse(name, "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）",
                     "cannot tell the text encoding (expected UTF-8 or GBK/GB18030)")
    return best.encoding


def _is_utf8(data: bytes) -> bool:
    """Strict UTF-8 check without decoding a big file whose body is plain ASCII (a Chinese header
    over ASCII rows is the common case): only the part before the first all-ASCII tail is decoded."""
    if data.isascii():  # 15 ms for 270 MB, where a slice alone would copy the whole file
        return True
    split = min(len(data), 65536)
    while split < len(data) and data[split] >= 0x80:  # do not cut a multi-byte character
        split += 1
    try:
        if data[split:].isascii():
            data[:split].decode("utf-8")
        else:
            data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def _read_csv(path: Path, kind: str | None) -> RawSheet:
    name = path.name
    data = path.read_bytes()
    encoding = _encoding(data, name)
    head = data[:65536].decode(encoding, errors="ignore")  # a character cut at the end is dropped
    if not head.lstrip("\ufeff").strip():
        raise refuse(name, "文件为空", "the file is empty")
    if _looks_binary(head):
        raise refuse(name, "不是 CSV/XLSX 表格（二进制内容）", "not a CSV/XLSX table (binary content)")
    head_lines = head.lstrip("\ufeff").splitlines()[:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in head_lines) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: counts[d])
    try:
        head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    except csv.Error as exc:
        raise refuse(name, f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from None
    sheet = _sheet(name, None, head_rows, kind)
    sheet.delimiter = delimiter
    sheet.sha256 = hashlib.sha256(data).hexdigest()
    # DuckDB's reader skips blank lines, which would shift the row numbers people see: such
    # files (rare) and non-UTF-8 ones take the exact Python path.
    blank_lines = b"\n\n" in data or (b"\r" in data and (b"\n\r\n" in data or b"\r\r" in data))
    if encoding in ("utf-8", "utf-8-sig") and not blank_lines:
        sheet.csv_path = path
        return sheet
    text = data.decode(encoding).lstrip("\ufeff")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise refuse(name, f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from None
    sheet.table = _text_table(records[sheet.header_row:], sheet.ncols)
    return sheet


# ---------------------------------------------------------------- XLSX

def _cell_text(cell) -> str | None:
    """A cell's value as text, exactly: floats through repr to Decimal, dates as ISO dates."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # shortest round-trip text: 12345.67 stays 12345.67
    else:
        return str(value)
    if "%" in (getattr(cell, "number_format", None) or ""):
        return f"{number * 100:f}%"  # a cell shown as 3.45% holds 0.0345
    return f"{number:f}"


def _read_xlsx(path: Path, kind: str | None) -> list[RawSheet]:
    import openpyxl  # imported here: CSV-only runs do not pay for it

    name = path.name
    sheets: list[tuple[str, list[list]]] = []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                if not hasattr(ws, "iter_rows"):
                    continue
                rows = [[_cell_text(c) for c in row] for row in ws.iter_rows()]
                while rows and not any(v not in (None, "") for v in rows[-1]):
                    rows.pop()
                if rows:
                    sheets.append((ws.title, rows))
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise refuse(name, f"XLSX 文件损坏或不完整（{type(exc).__name__}）",
                     f"the XLSX file is damaged or truncated ({type(exc).__name__})") from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise refuse(name, f"XLSX 文件无法读取（{type(exc).__name__}）",
                     f"the XLSX file cannot be read ({type(exc).__name__})") from None
    if not sheets:
        raise refuse(name, "工作簿中没有任何数据", "the workbook holds no data")
    out = []
    digest = sha256_of(path)
    for title, rows in sheets:
        sheet = _sheet(name, title, rows, kind)
        sheet.table = _text_table(rows[sheet.header_row:], sheet.ncols)
        sheet.sha256 = digest
        out.append(sheet)
    return out


__all__ = ["RawSheet", "FileRefused", "read_file", "sha256_of"]
