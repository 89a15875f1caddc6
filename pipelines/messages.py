"""Every text the ingestion pipeline shows a person, in Chinese and English.

Row reasons are keyed by a stable code that the SQL checks emit (``sql/stage_*.sql``); a
``{detail}`` in a text is filled from the check (the first row of a duplicate, the allowed values).
Whole-file refusals are ``FileRefused`` exceptions that name the file.
"""

from __future__ import annotations

from pipelines import limits
from pipelines.columns import CREDIT_CODE, DATE, ENUMS, KIND_LABELS, KINDS, MONEY, Column, Hint

_ENUM_LABELS = {
    "pledge_mode": ("质押方式", "pledge mode"),
    "ip_type": ("知识产权类型", "IP type"),
    "event_kind": ("事件类型", "event kind"),
    "party": ("承担方", "party"),
    "decision_kind": ("决定类型", "decision kind"),
    "subsidy_kind": ("补贴类型", "subsidy kind"),
    "ip_status": ("法律状态", "legal status"),
}


def _enum_reason(domain: str) -> tuple[str, str]:
    zh_label, en_label = _ENUM_LABELS[domain]
    values = ENUMS[domain]
    zh = "、".join(spellings[0] for spellings in values.values())
    en = ", ".join(values)
    return f"{zh_label}不在允许范围内（{zh}）", f"{en_label} not allowed (allowed: {en})"


REASONS: dict[str, tuple[str, str]] = {
    "missing": ("必填值为空", "required value is missing"),
    "bad_money": ("金额无法识别（示例：1,234.56、12.5万；不接受 1e2、1_000 这类写法）",
                  "not a money amount (e.g. 1,234.56 or 12.5万; forms such as 1e2 or 1_000 are not accepted)"),
    "money_precision": ("金额精确不到分（超过两位小数；万元金额最多六位小数），不作四舍五入",
                        "amount is not whole fen (more than 2 decimals; 6 for 万元); it is not rounded"),
    "money_limit": ("金额超过上限 {max_money} 元", "amount above the limit {max_money} yuan"),
    "bad_rate": ("利率无法识别（示例：0.0345、3.45%）", "not a rate (e.g. 0.0345 or 3.45%)"),
    "rate_range": ("利率应在 0 与 1 之间；百分数请写 3.45% 或在表头注明(%)",
                   "rate must lie between 0 and 1; write 3.45% or mark the header (%)"),
    "bad_date": ("日期无法识别或不存在（示例：2024-03-01、2024年3月1日）",
                 "not a valid date (e.g. 2024-03-01, 2024年3月1日)"),
    "date_range": ("日期超出可接受范围（{min_date} 至 {max_date}）",
                   "date outside the accepted range ({min_date} to {max_date})"),
    "cell_too_long": ("单元格超过上限 {max_cell_chars} 个字符（原值只记录前面部分）",
                      "cell longer than the limit {max_cell_chars} characters (only its start is kept)"),
    "control_char": ("单元格含控制字符（如 NUL、\\x0b），无法保存或导出；原值中以 ␀、␋ 等符号显示",
                     "cell holds a control character (such as NUL or \\x0b) that cannot be stored or exported; "
                     "shown as ␀, ␋ … in the raw value"),
    "negative": ("金额不能为负数", "amount must not be negative"),
    "party_required": ("代偿、追偿回收行须填写承担方（担保公司、评估机构或银行）；若文件中有这一列，请把其表头改为“承担方”",
                       "a compensation or recovery row must name its party (guarantor, appraiser or bank); if the "
                       "file has such a column, name its header 承担方 (party)"),
    "bad_credit_code": ("统一社会信用代码格式或校验位错误（GB 32100-2015）",
                        "unified social credit code is malformed or fails its check digit (GB 32100-2015)"),
    "bad_patent_number": ("专利号格式或校验位错误（应为 ZL + 12 位数字 + . + 校验位）",
                          "patent number is malformed or fails its check digit (ZL + 12 digits + . + check digit)"),
    "patent_type_mismatch": ("专利号中的类型位与知识产权类型不符（1/8 发明，2/9 实用新型）",
                             "the patent number's type digit does not match ip_type (1/8 invention, 2/9 utility)"),
    "matures_before": ("到期日期必须晚于发放日期", "matures_on must be after disbursed_on"),
    "unknown_loan": ("借据号在借据台账中不存在", "loan_id is not in the loans ledger"),
    "unknown_ip": ("该专利号/注册号不在质押物清单中（非本项目质押的知识产权）",
                   "ip_number is not pledged in the program (not in the collateral ledger)"),
    "fee_date_required": ("年费已缴、恢复状态须填写年费缴至日期", "fee_paid and restored rows must give fee_paid_until"),
    "duplicate_key": ("与本表第 {detail} 行主键重复，已载入第一次出现的行",
                      "duplicate key of row {detail} in this sheet; the first occurrence was loaded"),
    "duplicate_in_delivery": ("与同一批报送中先出现的行主键重复（{detail}），已载入第一次出现的行，本行未载入",
                              "duplicate key of an earlier row of the same delivery ({detail}); the first "
                              "occurrence was loaded, this row was not"),
    **{f"bad_{domain}": _enum_reason(domain) for domain in ENUMS},
}


def reasons() -> dict[str, tuple[str, str]]:
    """REASONS with the limits in force written into their texts ({max_money} and the like)."""
    filled = {}
    for code, texts in REASONS.items():
        for lim in limits.LIMITS:
            texts = tuple(t.replace("{" + lim.name + "}", limits.shown(lim.name)) for t in texts)
        filled[code] = texts
    return filled


class FileRefused(Exception):
    """A whole file was refused: nothing of it is loaded. Carries one bilingual message."""

    def __init__(self, file_name: str, message_zh: str, message_en: str):
        self.file_name = file_name
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}\n{message_en}")


def refuse(file_name: str, why_zh: str, why_en: str) -> FileRefused:
    """A FileRefused whose message names the file and says what is wrong."""
    return FileRefused(file_name, f"文件 {file_name} 被拒收：{why_zh}", f"File {file_name} refused: {why_en}")


def hint_text(hint: Hint) -> tuple[str, str]:
    """One sentence naming an unknown column that may be a column the header lacks."""
    col, pos = hint.column, hint.position + 1
    if hint.alias is not None:
        why_zh, why_en = f"列名含“{hint.alias}”", f"its name contains '{hint.alias}'"
    elif col.type == CREDIT_CODE:
        why_zh, why_en = "其值都是有效的统一社会信用代码", "its values are all valid unified social credit codes"
    elif col.type == DATE:
        why_zh, why_en = "其值都是日期", "its values are all dates"
    elif col.type == MONEY:
        why_zh, why_en = "其值都是金额", "its values are all amounts"
    else:
        domain = col.type.partition(":")[2]
        zh_label, en_label = _ENUM_LABELS.get(domain, (col.label_zh, col.name))
        zh_values = "、".join(spellings[0] for spellings in ENUMS[domain].values())
        why_zh = f"其值都是{zh_label}的有效值（{zh_values}）"
        why_en = f"its values are all valid {en_label} values ({', '.join(ENUMS[domain])})"
    return (f"第 {pos} 列“{hint.header}”不是可识别的表头，但{why_zh}，可能就是{col.label_zh}（{col.name}）列；"
            f"如是，请把表头改为“{col.label_zh}”",
            f"column {pos} '{hint.header}' is not a known header, but {why_en}: it may be the {col.name} "
            f"column ({col.label_zh}); if so, name its header '{col.label_zh}'")


def refuse_missing_columns(file_name: str, sheet: str | None, kind: str, missing: list[Column],
                           hints: list[Hint] = ()) -> FileRefused:
    """Refusal for a header that lacks required columns of the kind it most resembles, naming the
    unknown columns that may be them."""
    zh_kind, en_kind = KIND_LABELS[kind]
    where_zh = f"工作表“{sheet}”" if sheet else "表头"
    where_en = f"sheet '{sheet}'" if sheet else "the header"
    cols_zh = "、".join(f"{c.label_zh}（{c.name}）" for c in missing)
    cols_en = ", ".join(c.name for c in missing)
    texts = [hint_text(h) for h in hints if h.column in missing]
    more_zh = "".join(f"；{zh}" for zh, _ in texts)
    more_en = "".join(f"; {en}" for _, en in texts)
    return refuse(file_name, f"{where_zh}按{zh_kind}识别，但缺少必填列：{cols_zh}{more_zh}",
                  f"{where_en} looks like {en_kind} but lacks required columns: {cols_en}{more_en}")


def refuse_unknown_kind(file_name: str, sheet: str | None) -> FileRefused:
    """Refusal for a sheet whose header matches no ledger kind."""
    where_zh = f"工作表“{sheet}”" if sheet else "文件"
    where_en = f"sheet '{sheet}'" if sheet else "the file"
    kinds_zh = "、".join(zh for zh, _ in KIND_LABELS.values())
    return refuse(file_name, f"无法从{where_zh}的表头识别台账类型（应为：{kinds_zh}），请检查列名或用 --kind 指定",
                  f"cannot tell the ledger kind of {where_en} from its header (expected one of: "
                  f"{', '.join(KINDS)}); check the column names or pass --kind")


def batch_line(file_name: str, sheet: str | None, kind: str | None, read: int, loaded: int,
               unchanged: int, rejected: int, notes: list[tuple[str, str]] = ()) -> tuple[str, str]:
    """One summary line per loaded sheet, with the notes (hint_text) on unknown columns that may be
    columns the header lacks: such a column is never taken silently (issue 11 item 11)."""
    where = f"{file_name}" + (f" [{sheet}]" if sheet else "")
    zh_kind, en_kind = KIND_LABELS.get(kind or "", (kind or "?", kind or "?"))
    zh = f"{where}：{zh_kind}，读取 {read} 行，载入 {loaded} 行，未变 {unchanged} 行，拒绝 {rejected} 行"
    en = f"{where}: {en_kind}, read {read}, loaded {loaded}, unchanged {unchanged}, rejected {rejected}"
    if notes:
        zh += "。注意：" + "；".join(n[0] for n in notes)
        en += ". Note: " + "; ".join(n[1] for n in notes)
    return zh, en


def already_loaded(file_name: str, batch_id: int) -> tuple[str, str]:
    """Message for a file whose SHA-256 was loaded before."""
    return (f"文件 {file_name} 已于批次 {batch_id} 载入过（内容相同），本次跳过，数据库未改变",
            f"File {file_name} was already loaded in batch {batch_id} (same content); skipped, nothing changed")


def named_twice(file_name: str, first: str) -> tuple[str, str]:
    """Message for a file whose content another file of the same delivery already has."""
    return (f"文件 {file_name} 与本批中的 {first} 内容相同，只载入一次，本次跳过",
            f"File {file_name} has the same content as {first} in this delivery; loaded once, skipped here")


def stored_not_rebuilt(detail: str) -> tuple[str, str]:
    """The ledgers loaded, but the engine's stored intermediates could not be rewritten."""
    return (f"台账已载入，但预计算结果未能更新（{detail}）；查询将改为每次现算，结果不变、速度较慢",
            f"the ledgers are loaded, but the stored intermediates could not be rewritten ({detail}); "
            "queries compute them each time instead: same figures, slower")


def refresh_failed(detail: str) -> tuple[str, str]:
    """The load's refresh of the stored intermediates failed: the delivery was rolled back."""
    return (f"未导入：导入后更新预计算结果失败（{detail}），本批文件已全部回滚，数据库未改变；请联系系统管理员",
            f"not loaded: refreshing the stored intermediates after the load failed ({detail}); the whole "
            "delivery was rolled back and the database is unchanged; please tell the system administrator")


def out_of_memory(detail: str) -> tuple[str, str]:
    """The load ran out of memory: the delivery's one transaction was rolled back."""
    return (f"载入时内存不足（{detail}）；本次报送未载入任何内容，数据库未改变。请在内存更多的机器上载入，或把报送拆成几批",
            f"the load ran out of memory ({detail}); nothing of the delivery was loaded, the database is unchanged. "
            "Load it on a machine with more memory, or split the delivery")
