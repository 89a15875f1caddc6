"""Docs that guard themselves (datasette's test_docs): every profile parameter is documented."""

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines import limits, profile

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
LEDGERS = (Path(__file__).resolve().parent.parent / "docs" / "LEDGERS.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("param", profile.PARAMETERS, ids=lambda p: p.name)
def test_every_profile_parameter_is_in_the_readme(param):
    assert f"| `{param.name}` |" in README


def test_readme_opens_with_the_two_commands():
    lines = [ln.strip() for ln in README.splitlines() if ln.strip()]
    assert lines[1].startswith("make run") and lines[2].startswith("make test")


@pytest.mark.parametrize("limit", limits.LIMITS, ids=lambda lim: lim.name)
def test_every_input_limit_is_documented_with_its_default(limit):
    default = limit.default
    shown = f"{default:,}" if isinstance(default, (int, Decimal)) else str(default)
    assert f"| `{limit.name}` | {shown} |" in README
    assert LEDGERS.count(f"`{limit.name}`") >= 2  # the Chinese and the English section
