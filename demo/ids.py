"""Identifiers for the demo data: enterprise names, credit codes and IP numbers that pass their checks.

Kept apart from the story so that the scale generator (demo/scale.py) can reuse them.
"""

from __future__ import annotations

import random
from datetime import date

from stdnum.cn import uscc

# GB 32100-2015: digits and upper-case letters without I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714 organisation-code check weights (characters 9–16 of the credit code).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Chinese patent number check digit weights over the 12 digits (LEDGER.md collateral).
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# Region codes: 安义县 mostly, a few from Nanchang districts.
REGIONS = ("360123",) * 8 + ("360104", "360111", "360113")

TRADE_NAMES = (
    "瑞鑫", "恒达", "鸿源", "金利", "博远", "宏图", "新锐", "天成", "嘉禾", "信达", "永盛", "佳美",
    "同创", "凯旋", "明阳", "华阳", "众合", "宝丰", "东升", "福临", "兴隆", "润丰", "旭日", "翔宇",
    "安泰", "科达", "德胜", "万和", "精工", "锦程", "长青", "正邦", "海润", "中恒", "群英", "蓝天",
    "绿源", "鼎盛", "利民", "昌盛", "沃德", "合力", "启航", "聚能", "晟达", "益丰", "华瑞", "联创",
    "龙腾", "泓远", "宇星", "金鹏", "赣新", "西山", "潦河", "龙津", "鼎湖", "石鼻", "长埠", "黄洲",
)

# industry -> name suffixes (安义: aluminium profiles, doors and windows, rice, electronics …)
INDUSTRIES = {
    "铝型材加工": ("铝业有限公司", "铝型材有限公司"),
    "门窗幕墙": ("门窗有限公司", "幕墙科技有限公司"),
    "农副食品加工": ("食品有限公司", "米业有限公司"),
    "电子元器件": ("电子科技有限公司", "电子有限公司"),
    "新材料": ("新材料科技有限公司", "材料有限公司"),
    "通用设备制造": ("机械制造有限公司", "智能装备有限公司"),
    "医药制造": ("药业有限公司", "制药有限公司"),
    "生物技术": ("生物科技有限公司",),
    "软件和信息技术服务": ("信息技术有限公司", "软件有限公司"),
    "纺织服装": ("服饰有限公司", "纺织有限公司"),
}
PREFIXES = ("江西", "安义县", "江西", "南昌")


def org_code(body8: str) -> str:
    """Organisation code (GB 11714): 8 characters plus their check character."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, region: str | None = None) -> str:
    """A valid 18-character unified social credit code of a company (9 1 …)."""
    region = region or rng.choice(REGIONS)
    if rng.random() < 0.6:  # codes issued after 2015 have an MA-prefixed organisation code
        body = "MA35" + "".join(rng.choice(USCC_ALPHABET[:31]) for _ in range(4))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + region + org_code(body)
    return first17 + uscc.calc_check_digit(first17)


def break_check_digit(code: str) -> str:
    """The same code with a wrong final check character (for a planted bad row)."""
    right = code[-1]
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(right) + 7) % 31]
    return code[:-1] + wrong


def enterprise_name(rng: random.Random, industry: str, taken: set[str]) -> str:
    """A Chinese company name not yet in `taken` (added to it)."""
    for _ in range(1000):
        name = rng.choice(PREFIXES) + rng.choice(TRADE_NAMES) + rng.choice(INDUSTRIES[industry])
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("enterprise name pool exhausted")


def patent_check_digit(digits12: str) -> str:
    """Check digit of a Chinese patent application number (10 written X)."""
    rest = sum(int(d) * w for d, w in zip(digits12, PATENT_WEIGHTS, strict=True)) % 11
    return "X" if rest == 10 else str(rest)


def patent_number(filing_year: int, type_digit: int, serial: int) -> str:
    """`ZL` + year + type digit + 7-digit serial + `.` + check digit."""
    digits = f"{filing_year:04d}{type_digit}{serial:07d}"
    return f"ZL{digits}.{patent_check_digit(digits)}"


def add_years(d: date, years: int) -> date:
    """Same calendar day `years` later (29 Feb -> 28 Feb)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)
