"""Program profiles: every parameter of RULES.md, declared once with its default, help and source.

A profile is a TOML file in ``data/profiles/<name>.toml``; ``anyi`` is the default.
``PARAMETERS`` is the declaration (after datasette's ``Setting``); a test checks that
each one is documented in the README and present in every shipped profile.
Numbers are read as ``Decimal`` so that no boundary is decided in binary floating point.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

PROFILES_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"
DEFAULT_PROFILE = "anyi"
# A profile is named, never a path: "--profile ../../x" must not read a TOML from anywhere.
NAME_PATTERN = re.compile(r"[a-z0-9_-]+")


class ProfileError(FileNotFoundError):
    """A profile that cannot be used (bad name, not shipped, or inconsistent), in Chinese and English.
    A FileNotFoundError, as a missing profile raised before."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}\n{message_en}")


@dataclass(frozen=True)
class Parameter:
    name: str
    default: object
    help_en: str
    source: str


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("max_single_loan", Decimal("10000000"), "Largest principal of one loan, yuan (C1)", "一"),
    Parameter("max_term_years", 1, "Longest term in years, same calendar day (C2)", "一"),
    Parameter("annual_cap_per_enterprise", Decimal("10000000"),
              "Most principal one enterprise may receive in a calendar year, inclusive (C7)", "四(二)"),
    Parameter("max_pledge_rate", Decimal("0.60"), "Principal / pledge value at most (C3)", "四(二)"),
    Parameter("max_rate_spread_over_lpr", Decimal("0.0050"),
              "Annual rate at most the 1-year LPR in force plus this (C4)", "四(三)"),
    Parameter("max_guarantee_fee_rate", Decimal("0.01"), "Guarantee fee / principal at most (C5)", "四(四)"),
    Parameter("max_appraisal_fee_rate", Decimal("0.01"), "Appraisal fee / principal at most (C6)", "四(四)"),
    Parameter("min_patent_remaining_years", 3,
              "Pledged invention/utility patents must run this many years past disbursement (C8)", "五(一)3(2)"),
    Parameter("npl_halt_threshold", Decimal("0.05"), "NPL ratio strictly above this halts new loans (R-HALT)",
              "八(二)"),
    Parameter("npl_warning_threshold", Decimal("0.04"), "NPL ratio above this is the warning band (R-HALT)",
              "ours"),
    Parameter("overdue_dpd_threshold", 1, "DPD from which a loan counts as overdue (R-NPL)", "八(二)"),
    Parameter("compensation_trigger_dpd", 60, "DPD from which compensation may be claimed, inclusive (R-ALERT60)",
              "七(二)"),
    Parameter("compensation_grace_days", 25, "Days after the notice the parties have to pay (R-COMP)", "七(二)"),
    Parameter("loss_share_guarantor", Decimal("0.70"), "Guarantor's share of principal loss (R-LOSS)", "八(一)"),
    Parameter("loss_share_bank", Decimal("0.20"), "Bank's share of principal loss (R-LOSS)", "八(一)"),
    Parameter("loss_share_appraiser", Decimal("0.10"), "Appraiser's share of principal loss (R-LOSS)", "八(一)"),
    Parameter("ban_years_after_compensation", 3, "Years an enterprise is banned after a notice (R-BAN, C9)",
              "八(五)"),
    Parameter("amount_tolerance", Decimal("0.01"), "Shortfall in yuan still counted as paid (R-DPD, R-COMP)",
              "ours"),
    Parameter("interest_day", 0, "Day of month interest falls due; 0 = disbursement day (R-SCHED)", "一"),
    Parameter("ip_fee_warning_days", 30,
              "Days before a patent's annual fee falls due from which it is due soon (R-IPSTAT)", "五(一)3(3)"),
    Parameter("freshness_days", 35,
              "A bank with no record and no file for more than this many days is stale (R-FRESH)", "九(二)"),
    Parameter("claim_warning_days", 5,
              "Days before a claim's deadline from which it is announced as due soon (R-NOTIFY)", "七(二)"),
    Parameter("credit_code_exceptions", (), "Credit codes accepted although their check digit fails", "LEDGER"),
)


@dataclass(frozen=True)
class Profile:
    """One program's parameters, as exact values."""

    name: str
    title_zh: str
    title_en: str
    values: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # further tables (e.g. subsidy policy) for the engine

    def __getattr__(self, item):
        try:
            return self.values[item]
        except KeyError:
            raise AttributeError(item) from None

    def bind(self) -> dict:
        """Parameters as a dict for binding into SQL (lists left out)."""
        return {k: v for k, v in self.values.items() if not isinstance(v, (list, tuple))}


def available() -> list[str]:
    """Names of the profiles shipped in data/profiles."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))


def load(name: str | None = None, path: str | os.PathLike | None = None) -> Profile:
    """Load a profile by name (default $PLEDGEWATCH_PROFILE or anyi), one of data/profiles/ only; an
    explicit path is for code (tests), never for a name typed on a command line."""
    if path:
        file = Path(path)
    else:
        name = name or os.environ.get("PLEDGEWATCH_PROFILE") or DEFAULT_PROFILE
        shipped = available()
        if not NAME_PATTERN.fullmatch(name) or name not in shipped:
            why_zh = "名称只能由小写字母、数字、_ 和 - 组成" if not NAME_PATTERN.fullmatch(name) else "没有这个项目"
            why_en = "a name is lower-case letters, digits, _ and - only" if not NAME_PATTERN.fullmatch(name) \
                else "no such profile"
            raise ProfileError(f"找不到项目参数 {name!r}（{why_zh}；可选：{', '.join(shipped)}）",
                               f"program profile {name!r} not found ({why_en}; available: {', '.join(shipped)})")
        file = PROFILES_DIR / f"{name}.toml"
    if not file.exists():
        raise ProfileError(f"找不到项目参数文件 {file}（可选：{', '.join(available())}）",
                           f"program profile {file} not found (available: {', '.join(available())})")
    try:
        with file.open("rb") as fh:
            raw = tomllib.load(fh, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"项目参数文件 {file.name} 格式错误（{exc}）", f"program profile {file.name} is not valid TOML "
                           f"({exc})") from None
    values = {}
    for p in PARAMETERS:
        v = raw.get(p.name, p.default)
        if isinstance(p.default, Decimal):
            v = Decimal(str(v))
        elif isinstance(p.default, tuple):
            v = tuple(v)
        values[p.name] = v
    known = {p.name for p in PARAMETERS} | {"name", "title_zh", "title_en"}
    extra = {k: v for k, v in raw.items() if k not in known}
    shares = values["loss_share_guarantor"] + values["loss_share_bank"] + values["loss_share_appraiser"]
    if shares != 1:
        raise ValueError(f"{file}: loss shares add up to {shares}, not 1 / 损失分担比例之和为 {shares}，应为 1")
    return Profile(raw.get("name", file.stem), raw.get("title_zh", file.stem), raw.get("title_en", file.stem),
                   values, extra)
