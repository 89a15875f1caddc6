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
import collections
import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pyarrow as pa

from pipelines import columns, limits
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
    check_lengths: bool = True         # a cell may exceed max_cell_chars (else its SQL check is skipped)
    check_controls: bool = True        # a cell may hold a control character
    hints: list[columns.Hint] = field(default_factory=list)  # unknown columns that may be missing ones

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
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise refuse(name, f"无法打开（{exc.strerror}）", f"cannot be opened ({exc.strerror})") from None
    if not head:
        raise refuse(name, "文件为空", "the file is empty")
    # Before anything is read whole or archived: a 2 GB sparse file costs nothing to make.
    if size > limits.get("max_file_mb") * 1024 * 1024:
        raise refuse(name, f"文件大小 {size:,} 字节，超过上限 {limits.shown('max_file_mb')}",
                     f"the file is {size:,} bytes, above the limit {limits.shown('max_file_mb')}")
    ext = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE2 compound file: an old .xls, or an OOXML workbook encrypted with a password
        # (Excel wraps it in OLE2 with an EncryptedPackage stream) — say which.
        if ext in XLSX_EXTENSIONS or "EncryptedPackage".encode("utf-16-le") in head:
            raise refuse(name, "工作簿设有密码（已加密），请取消密码保护后另存为 .xlsx 再报送",
                         "the workbook is password-protected (encrypted); remove the password, save it as "
                         ".xlsx and send it again")
        raise refuse(name, "不支持旧版 .xls 格式，请另存为 .xlsx 或 CSV",
                     "old .xls workbooks are not supported; save it as .xlsx or CSV")
    if ext in XLSX_EXTENSIONS or (ext not in CSV_EXTENSIONS and head.startswith(b"PK\x03\x04")):
        return _read_xlsx(path, kind)
    if ext == ".xls":
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
    # No header: say which required columns the most similar row lacks, and which unknown columns
    # of it may be them (by their name or their values).
    best = None
    for idx, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        guess = kind or columns.closest_kind(row)
        if guess:
            mapping = columns.map_header(guess, row)
            missing = columns.missing_required(guess, mapping)
            if best is None or len(missing) < len(best[1]):
                best = (guess, missing, columns.header_hints(guess, row, mapping, rows[idx + 1:idx + 1 + columns.HINT_SAMPLE_ROWS]))
    if best:
        raise refuse_missing_columns(name, sheet, *best)
    raise refuse_unknown_kind(name, sheet)


def _sheet(name: str, sheet: str | None, rows: list[list], kind: str | None) -> RawSheet:
    idx, found, mapping = _find_header(rows, name, sheet, kind)
    header = ["" if c is None else str(c).strip() for c in rows[idx]]
    units = {col: u for col, pos in mapping.items() if (u := columns.header_unit(header[pos]))}
    wan_title = any(columns.is_wan_unit_line(r) for r in rows[:idx])
    if len(header) > limits.get("max_columns"):
        raise _too_many_columns(name, sheet, len(header))
    _refuse_duplicate_columns(name, sheet, found, header, mapping)
    used = set(mapping.values())
    extra_keys, extra_positions = [], []
    for pos, cell in enumerate(header):
        if pos in used:
            continue
        extra_keys.append(cell or f"列{pos + 1}")  # unique: duplicates were refused above
        extra_positions.append(pos)
    hints = columns.header_hints(found, header, mapping, rows[idx + 1:idx + 1 + columns.HINT_SAMPLE_ROWS])
    return RawSheet(name, sheet, found, header, idx + 1, mapping, units, wan_title, len(header),
                    extra_keys=extra_keys, extra_positions=extra_positions, hints=hints)


def _refuse_duplicate_columns(name, sheet, kind, header, mapping) -> None:
    """Two header cells for one column would leave one of them unread (the second went to extras):
    refuse the file naming the column rather than guess which one the bank meant."""
    clash = columns.header_clash(kind, header)
    if clash is None:
        return
    first, second, key = clash
    where_zh = f"工作表“{sheet}”的" if sheet else ""
    where_en = f" of sheet '{sheet}'" if sheet else ""
    a, b = header[first], header[second]
    raise refuse(name, f"{where_zh}表头第 {first + 1} 列“{a}”与第 {second + 1} 列“{b}”是同一列（{key}），"
                       "请删除或改名其中一列",
                 f"header columns {first + 1} '{a}' and {second + 1} '{b}'{where_en} are the same "
                 f"column ({key}); remove or rename one of them")


def _too_many_columns(name: str, sheet: str | None, n: int) -> FileRefused:
    where_zh = f"工作表“{sheet}”" if sheet else "文件"
    where_en = f"sheet '{sheet}'" if sheet else "the file"
    return refuse(name, f"{where_zh}有 {n:,} 列，超过上限 {limits.shown('max_columns')}",
                  f"{where_en} has {n:,} columns, above the limit {limits.shown('max_columns')}")


def _too_many_rows(name: str, sheet: str | None, n: int, dimension: str | None = None) -> FileRefused:
    where_zh = f"工作表“{sheet}”" if sheet else "文件"
    where_en = f"sheet '{sheet}'" if sheet else "the file"
    limit = "max_xlsx_rows" if sheet else "max_rows"  # a sheet is an XLSX sheet, no sheet a CSV
    if dimension:
        return refuse(name, f"{where_zh}声明的范围 {dimension} 有 {n:,} 行，超过上限 {limits.shown(limit)}",
                      f"{where_en} declares {n:,} rows (dimension {dimension}), above the limit "
                      f"{limits.shown(limit)}")
    return refuse(name, f"{where_zh}超过 {n:,} 行，超过上限 {limits.shown(limit)}",
                  f"{where_en} has more than {n:,} rows, above the limit {limits.shown(limit)}")


def _text_table(rows: list[list], ncols: int, name: str = "", sheet: str | None = None) -> pa.Table:
    """Rows of text as an Arrow table c0…c{n-1} (wider rows keep their extra cells) and _seq."""
    width = max([ncols, *(len(r) for r in rows)]) if rows else ncols
    if width > limits.get("max_columns"):
        raise _too_many_columns(name, sheet, width)
    cols = {f"c{i}": pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)}
    cols["_seq"] = pa.array(range(1, len(rows) + 1), pa.int64())
    return pa.table(cols)


# ---------------------------------------------------------------- CSV

def _encoding(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not) or GB18030 (a superset of GBK), decoded strictly; anything else is refused
    naming the encoding or the first byte that does not decode (LEDGER.md: nothing is guessed)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _utf16(name, "LE" if data.startswith(codecs.BOM_UTF16_LE) else "BE")
    order = _utf16_without_bom(data[:4096])
    if order:
        raise _utf16(name, order)
    # many control bytes is binary; one NUL or \x0b in a cell is a bad cell (check_cells.sql)
    sample = data[:8192]
    if len(_CONTROLS.findall(sample)) > max(2, len(sample) // 100):
        raise refuse(name, "不是 CSV/XLSX 表格（二进制内容）", "not a CSV/XLSX table (binary content)")
    if data.startswith(codecs.BOM_UTF8):
        bad = _utf8_error(data, 3)
        if bad is not None:
            raise refuse(name, f"文件以 UTF-8 BOM 开头，但第 {bad:,} 字节（0x{data[bad]:02X}）起不是有效的 UTF-8",
                         f"the file starts with a UTF-8 BOM but is not valid UTF-8 from byte offset {bad:,} "
                         f"(0x{data[bad]:02X})")
        return "utf-8-sig"
    if _utf8_error(data, 0) is None:
        return "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise refuse(name, f"既不是 UTF-8 也不是 GBK/GB18030：第 {exc.start:,} 字节（0x{data[exc.start]:02X}）无法解码",
                     f"neither UTF-8 nor GBK/GB18030: the byte at offset {exc.start:,} (0x{data[exc.start]:02X}) "
                     "does not decode") from None
    _refuse_foreign_cjk(name, text)
    return "gb18030"


def _utf16(name: str, order: str) -> FileRefused:
    return refuse(name, f"文件是 UTF-16（{order}）编码，不接受；请另存为 UTF-8 或 GBK",
                  f"the file is UTF-16 ({order}) encoded, which is not accepted; save it as UTF-8 or GBK")


def _utf16_without_bom(sample: bytes) -> str | None:
    """'LE' / 'BE' when every other byte of the sample is zero, as in UTF-16 text of ASCII/CJK."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8:
        return None
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "LE"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "BE"
    return None


def _utf8_error(data: bytes, start: int) -> int | None:
    """Offset of the first byte that is not UTF-8 from start on, or None. A big file whose body is
    plain ASCII (a Chinese header over ASCII rows is the common case) is not decoded whole: only
    the part before its all-ASCII tail is."""
    view = memoryview(data)[start:]
    if view.nbytes == 0 or data.isascii():  # 15 ms for 270 MB, where a slice would copy the file
        return None
    split = min(view.nbytes, 65536)
    while split < view.nbytes and view[split] >= 0x80:  # do not cut a multi-byte character
        split += 1
    try:
        if bytes(view[split:]).isascii():
            bytes(view[:split]).decode("utf-8")
        else:
            bytes(view).decode("utf-8")
    except UnicodeDecodeError as exc:
        return start + exc.start
    return None


# Shift-JIS or Big5 bytes mostly decode as GBK too, as rare or private-use characters: a text
# whose non-ASCII characters are largely outside GB2312 (the 6,763 common hanzi and the symbols
# Chinese ledgers use) is another encoding, not a GBK ledger.
_FOREIGN_SAMPLE = 262144
_MIN_COMMON_SHARE = 0.8


def _refuse_foreign_cjk(name: str, text: str) -> None:
    counts = collections.Counter(ch for ch in text[:_FOREIGN_SAMPLE] if ord(ch) > 127)
    total = sum(counts.values())
    if not total:
        return
    common = 0
    for ch, n in counts.items():
        try:
            ch.encode("gb2312")
            common += n
        except UnicodeEncodeError:
            pass
    if common / total < _MIN_COMMON_SHARE:
        raise refuse(name, f"按 GBK 解码后 {total - common:,}/{total:,} 个中文字符是生僻字或私用区字符，"
                           "文件应是其他编码（如 Big5、Shift-JIS）；请另存为 UTF-8 或 GBK",
                     f"decoded as GBK, {total - common:,} of {total:,} non-ASCII characters are rare or "
                     "private-use ones: the file is in another encoding (such as Big5 or Shift-JIS); save it as "
                     "UTF-8 or GBK")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 1 << 24


def _longest_line(data: bytes) -> tuple[int, int]:
    """(length in bytes, 1-based number) of the longest line, scanned in chunks so that a 200 MB
    file costs two small arrays at a time. Byte 0x0A is a line feed in UTF-8 and GBK alike (never a
    trail byte), so both encodings are measured the same way."""
    longest, where, prev, lines = 0, 1, -1, 0
    for start in range(0, len(data), _CHUNK):
        chunk = np.frombuffer(data, np.uint8, count=min(_CHUNK, len(data) - start), offset=start)
        ends = np.flatnonzero(chunk == 10) + start
        if len(ends):
            gaps = np.diff(ends, prepend=prev) - 1
            i = int(np.argmax(gaps))
            if gaps[i] > longest:
                longest, where = int(gaps[i]), lines + i + 1
            prev, lines = int(ends[-1]), lines + len(ends)
    if len(data) - prev - 1 > longest:
        longest, where = len(data) - prev - 1, lines + 1
    return longest, where


def _quoted_line_break(data: bytes) -> bool:
    """True when a quoted cell holds a line break: some line feed stands after an odd number of
    quote characters (a doubled "" inside a cell counts two). Scanned in chunks, like _longest_line."""
    parity = 0
    for start in range(0, len(data), _CHUNK):
        chunk = np.frombuffer(data, np.uint8, count=min(_CHUNK, len(data) - start), offset=start)
        quotes = np.cumsum(chunk == 34, dtype=np.int32)
        at_breaks = quotes[chunk == 10]
        if len(at_breaks) and ((at_breaks + parity) % 2).any():
            return True
        parity = (parity + int(quotes[-1])) % 2 if len(quotes) else parity
    return False


def _read_csv(path: Path, kind: str | None) -> RawSheet:
    name = path.name
    data = path.read_bytes()
    encoding = _encoding(data, name)
    head = data[:65536].decode(encoding, errors="ignore")  # a character cut at the end is dropped
    if not head.lstrip("\ufeff").strip():
        raise refuse(name, "文件为空", "the file is empty")
    if _looks_binary(head):
        raise refuse(name, "不是 CSV/XLSX 表格（二进制内容）", "not a CSV/XLSX table (binary content)")
    longest, line_no = _longest_line(data)
    if longest > limits.get("max_line_bytes"):
        raise refuse(name, f"第 {line_no:,} 行长 {longest:,} 字节，超过上限 {limits.shown('max_line_bytes')}",
                     f"line {line_no:,} is {longest:,} bytes long, above the limit {limits.shown('max_line_bytes')}")
    all_head_lines = head.lstrip("\ufeff").splitlines()
    if len(data) > 65536:  # the head's last line may be cut
        all_head_lines = all_head_lines[:-1]
    head_lines = all_head_lines[:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in head_lines) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: counts[d])
    try:
        # the header is looked for in the first rows; the rest of the head is the sample of values
        # that columns.header_hints reads
        head_rows = list(csv.reader(all_head_lines[:HEADER_SEARCH_ROWS + columns.HINT_SAMPLE_ROWS],
                                    delimiter=delimiter))
    except csv.Error as exc:
        raise refuse(name, f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from None
    sheet = _sheet(name, None, head_rows, kind)
    sheet.delimiter = delimiter
    sheet.sha256 = hashlib.sha256(data).hexdigest()
    # Only a line longer than the cell limit can hold a cell longer than it; the SQL check of
    # every cell is skipped for files (nearly all) that cannot have one.
    sheet.check_lengths = longest > limits.get("max_cell_chars")
    sheet.check_controls = _CONTROLS.search(data) is not None
    lines = data.count(b"\n")
    max_rows = limits.get("max_rows")
    if lines > max_rows and b'"' not in data:  # no quoted line breaks: lines are records
        raise _too_many_rows(name, None, max_rows)
    # DuckDB's reader skips blank lines, which would shift the row numbers people see, and stops on
    # mixed CRLF / LF endings ("state machine reached an invalid state"); a NUL byte, a file near
    # the row limit (counted exactly below), and a line break inside a quoted cell (DuckDB's
    # parallel scanner refuses it with the short-row padding, and the error would abort the
    # delivery's transaction) take the Python path too, like non-UTF-8 ones.
    blank_lines = b"\n\n" in data or (b"\r" in data and (b"\n\r\n" in data or b"\r\r" in data))
    crlf = data.count(b"\r\n")
    mixed_endings = (crlf and crlf != lines) or data.count(b"\r") != crlf
    if (encoding in ("utf-8", "utf-8-sig") and not blank_lines and not mixed_endings
            and b"\x00" not in data and lines < max_rows
            and not (b'"' in data and _quoted_line_break(data))):
        sheet.csv_path = path
        return sheet
    text = data.decode(encoding).lstrip("\ufeff")
    # lines are bounded above: a cell may be as long as a line, as DuckDB's reader allows
    csv.field_size_limit(max(csv.field_size_limit(), limits.get("max_line_bytes")))
    records = []
    try:
        # strict, as DuckDB's reader is: an unterminated quote or text after a closing quote is a
        # malformed file, not a cell swallowing the rest of it
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(records) >= max_rows:
                raise _too_many_rows(name, None, max_rows)
            records.append(record)
    except csv.Error as exc:
        raise refuse(name, f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from None
    sheet.table = _text_table(records[sheet.header_row:], sheet.ncols, name)
    return sheet


# ---------------------------------------------------------------- XLSX

def _cell_text(cell, max_chars: int) -> str | None:
    """A cell's value as text, exactly: floats through repr to Decimal, dates as ISO dates. Text
    longer than max_chars is cut to max_chars + 1 characters: the row is rejected for it in SQL
    (check_cells.sql), and the whole text is never held or stored."""
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
        if len(number.as_tuple().digits) > 15:
            # Excel keeps 15 significant digits; beyond them is binary noise of a formula
            # (=0.1+0.2 holds 0.30000000000000004), not something the bank wrote
            number = number.quantize(Decimal(1).scaleb(number.adjusted() - 14))
    else:
        text = str(value)
        return text if len(text) <= max_chars else text[: max_chars + 1]
    if "%" in (getattr(cell, "number_format", None) or ""):
        return f"{number * 100:f}%"  # a cell shown as 3.45% holds 0.0345
    return f"{number:f}"


def _shared_strings(src, max_chars: int) -> list[str]:
    """The workbook's shared strings as openpyxl reads them (plain text and rich-text runs, not the
    phonetic rPh runs), streamed through expat so that no string longer than max_chars + 1 is ever
    built: a 300 MB name compressed into a 300 KB workbook costs its length, not its memory."""
    strings: list[str] = []
    stack: list[str] = []
    parts: list[str] = []
    size = 0

    def start(tag, _attrs):
        nonlocal size
        local = tag.rsplit("}", 1)[-1]
        stack.append(local)
        if local == "si":
            parts.clear()
            size = 0

    def end(_tag):
        local = stack.pop()
        if local == "si":
            strings.append("".join(parts).replace("x005F_", ""))

    def text(data):
        nonlocal size
        if stack and stack[-1] == "t" and "si" in stack and "rPh" not in stack and size <= max_chars:
            parts.append(data[: max_chars + 1 - size])
            size += len(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    while chunk := src.read(1 << 20):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return strings


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(src, name: str, title: str) -> None:
    """Count a sheet's rows in its XML before openpyxl parses it: the declared dimension may be
    missing or understate them (openpyxl then silently drops the rows beyond it)."""
    max_rows = limits.get("max_xlsx_rows")
    rows, tail = 0, b""
    while chunk := src.read(1 << 22):
        window = tail + chunk
        rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
        tail = window[-16:]
        if rows > max_rows:
            raise _too_many_rows(name, title, max_rows)


def _safe_cut(seg: bytes, k: int) -> int:
    """A cut at or before k that splits no UTF-8 character and no &entity; of XML text."""
    while k > 0 and 0x80 <= seg[k] < 0xC0:  # seg[k] would be the first byte dropped
        k -= 1
    amp = seg.rfind(b"&", 0, k)
    if amp >= 0 and seg.find(b";", amp, k) < 0:
        k = amp
    return k


class _BoundedXml(io.RawIOBase):
    """A sheet's XML with every run of text longer than max_run bytes cut short, fed to openpyxl's
    parser: an inline string of 300 MB (deflated into a 300 KB workbook) is never built whole.
    The cut text is still longer than max_cell_chars, so its row is rejected (check_cells.sql)."""

    def __init__(self, src, max_run: int):
        self.src, self.max_run, self.run, self.buffer = src, max_run, 0, b""

    def readable(self):
        return True

    def close(self):
        self.src.close()
        super().close()

    def readinto(self, out):
        while not self.buffer:
            chunk = self.src.read(1 << 20)
            if not chunk:
                return 0
            self.buffer = self._cut(chunk)
        n = min(len(out), len(self.buffer))
        out[:n], self.buffer = self.buffer[:n], self.buffer[n:]
        return n

    def _cut(self, chunk: bytes) -> bytes:
        # A run starts at a '<'; the chunk's first segment continues the run carried from the last.
        opens = np.flatnonzero(np.frombuffer(chunk, np.uint8) == 60)
        carried, limit = self.run, self.max_run
        if len(opens) == 0:
            self.run += len(chunk)
            fits = carried + len(chunk) <= limit
        else:
            self.run = len(chunk) - int(opens[-1])
            inner = int(np.diff(opens).max()) if len(opens) > 1 else 0
            fits = carried + int(opens[0]) <= limit and inner <= limit and self.run <= limit
        if fits:  # nearly always: the chunk passes untouched
            return chunk
        bounds = [0, *opens.tolist(), len(chunk)]
        pieces = []
        for i in range(len(bounds) - 1):
            start, end = bounds[i], bounds[i + 1]
            room = limit - carried if i == 0 else limit
            if end - start <= room:
                pieces.append(chunk[start:end])
            elif room > 0:
                pieces.append(chunk[start:start + _safe_cut(chunk[start:end], room)])
        return b"".join(pieces)


def _check_dimension(ws, name: str) -> None:
    """Refuse a sheet whose declared size (<dimension ref>) is beyond the limits, before a single row
    is read: openpyxl pads every row to the declared width (XFD1048576 in a 5 KB file is 17
    billion empty cells)."""
    rows, cols = ws.max_row, ws.max_column
    if rows is None or cols is None:
        return
    from openpyxl.utils import get_column_letter

    dimension = f"{get_column_letter(ws.min_column)}{ws.min_row}:{get_column_letter(cols)}{rows}"
    if cols > limits.get("max_columns"):
        raise refuse(name, f"工作表“{ws.title}”声明的范围 {dimension} 有 {cols:,} 列，超过上限 {limits.shown('max_columns')}",
                     f"sheet '{ws.title}' declares {cols:,} columns (dimension {dimension}), above the limit "
                     f"{limits.shown('max_columns')}")
    if rows > limits.get("max_xlsx_rows"):
        raise _too_many_rows(name, ws.title, rows, dimension)


def _sheet_rows(ws, name: str, book) -> list[list]:
    """The sheet's rows as text, bounded by the row and column limits whatever it declares."""
    max_rows, max_cols, max_chars = (limits.get("max_xlsx_rows"), limits.get("max_columns"),
                                     limits.get("max_cell_chars"))
    ws.reset_dimensions()  # rows and cells beyond a lying dimension are read too, not dropped
    # openpyxl reads the sheet through _get_source(); this instance reads it bounded instead. A cut
    # run holds at least (max_chars + 1) characters even at 10 bytes each (&#x10FFFF;), plus its tag.
    part = ws._worksheet_path
    ws._get_source = lambda: io.BufferedReader(_BoundedXml(book._archive.open(part), (max_chars + 1) * 10 + 512))
    rows = []
    for n, row in enumerate(ws.iter_rows(), start=1):
        if n > max_rows:
            raise _too_many_rows(name, ws.title, max_rows)
        if len(row) > max_cols:
            if any(c.value is not None for c in row[max_cols:]):
                raise _too_many_columns(name, ws.title, len(row))
            row = row[:max_cols]
        rows.append([_cell_text(c, max_chars) for c in row])
    return rows


def _open_workbook(path: Path):
    """openpyxl's read-only workbook, its shared strings read bounded (_shared_strings)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class BoundedReader(ExcelReader):
        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = _shared_strings(src, limits.get("max_cell_chars"))

    reader = BoundedReader(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _read_xlsx(path: Path, kind: str | None) -> list[RawSheet]:
    name = path.name
    sheets: list[tuple[str, list[list]]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.get("max_unpacked_mb") * 1024 * 1024:
            raise refuse(name, f"XLSX 解压后共 {unpacked:,} 字节，超过上限 {limits.shown('max_unpacked_mb')}",
                         f"the XLSX unpacks to {unpacked:,} bytes, above the limit {limits.shown('max_unpacked_mb')}")
        book = _open_workbook(path)
        try:
            for ws in book.worksheets:
                if not hasattr(ws, "iter_rows"):
                    continue
                _check_dimension(ws, name)
                with ws._get_source() as src:  # the sheet's XML part (openpyxl has no public name for it)
                    _count_rows(src, name, ws.title)
                rows = _sheet_rows(ws, name, book)
                while rows and not any(v not in (None, "") for v in rows[-1]):
                    rows.pop()
                if rows:
                    sheets.append((ws.title, rows))
        finally:
            book.close()
    except (FileRefused, limits.BadLimit):
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError, expat.ExpatError) as exc:
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
        sheet.table = _text_table(rows[sheet.header_row:], sheet.ncols, name, title)
        sheet.sha256 = digest
        out.append(sheet)
    return out


__all__ = ["RawSheet", "FileRefused", "read_file", "sha256_of"]
