"""The rule index (queries/rules.py) covers every rule id of ../shared/spec/RULES.md, and every pointer
in it leads somewhere: the SQL file exists and names the rule in its header, the function imports,
the test exists (issue 10: one step from a rule id to its code)."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

from queries import rules
from queries.runner import SQL_DIR

ROOT = Path(__file__).resolve().parent.parent
RULES_MD = ROOT.parent / "shared" / "spec" / "RULES.md"


def rule_ids(text: str) -> list[str]:
    """The ids RULES.md defines: its ``## R-…`` headings and the C-rules of its compliance table."""
    return re.findall(r"^## (R-[A-Z0-9]+)\b", text, re.M) + re.findall(r"^\| (C\d+) \|", text, re.M)


def problems(index: dict, ids: list[str]) -> list[str]:
    """What is wrong with ``index`` against the ids of RULES.md (empty when nothing is)."""
    out = [f"{i}: no entry in queries/rules.py" for i in ids if i not in index]
    out += [f"{i}: not a rule of RULES.md" for i in index if i not in ids]
    for rule_id, rule in index.items():
        if rule.issue is not None:
            if rule.sql or rule.functions or rule.tests:
                out.append(f"{rule_id}: names issue {rule.issue} and pointers; a built rule names no issue")
            continue
        if not (rule.sql and rule.functions and rule.tests):
            out.append(f"{rule_id}: a built rule needs SQL files, functions and tests")
        for sql in rule.sql:
            path = SQL_DIR / sql
            if not path.is_file():
                out.append(f"{rule_id}: no SQL file {sql}")
                continue
            header = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--"))
            if not re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w])", header):
                out.append(f"{rule_id}: {sql}'s header does not cite {rule_id}")
        for dotted in rule.functions:
            module, _, name = dotted.rpartition(".")
            if not callable(getattr(importlib.import_module(module), name, None)):
                out.append(f"{rule_id}: no function {dotted}")
        for test in rule.tests:
            file, _, name = test.partition("::")
            path = ROOT / file
            if not path.is_file() or not re.search(rf"^def {re.escape(name)}\(", path.read_text(encoding="utf-8"), re.M):
                out.append(f"{rule_id}: no test {test}")
    return out


@pytest.fixture(scope="module")
def ids() -> list[str]:
    if not RULES_MD.is_file():
        pytest.skip(f"{RULES_MD} not beside the checkout")
    return rule_ids(RULES_MD.read_text(encoding="utf-8"))


def test_rules_md_defines_the_rules_we_know(ids):
    # a guard on the parser itself: these ids are in RULES.md today
    assert {"R-SCHED", "R-NPL", "R-HALT", "C1", "C11", "R-SCOPE", "R-NOTIFY"} <= set(ids)
    assert len(ids) == len(set(ids))


def test_every_rule_has_an_entry_and_every_pointer_exists(ids):
    assert problems(rules.INDEX, ids) == []


def test_the_check_fails_when_an_entry_is_removed_or_broken(ids):
    without = {k: v for k, v in rules.INDEX.items() if k != "R-NPL"}
    assert problems(without, ids) == ["R-NPL: no entry in queries/rules.py"]
    broken = dict(rules.INDEX, **{"C4": dataclasses.replace(rules.INDEX["C4"], sql=("compliance/c04_nope.sql",))})
    assert problems(broken, ids) == ["C4: no SQL file compliance/c04_nope.sql"]
    broken = dict(rules.INDEX, **{"R-BAN": dataclasses.replace(rules.INDEX["R-BAN"], functions=("queries.bans.nope",),
                                                               tests=("tests/test_r_ban.py::test_nope",))})
    assert problems(broken, ids) == ["R-BAN: no function queries.bans.nope",
                                     "R-BAN: no test tests/test_r_ban.py::test_nope"]
