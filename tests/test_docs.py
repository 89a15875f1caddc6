"""Docs that guard themselves (datasette's test_docs): every profile parameter is documented."""

from pathlib import Path

import pytest

from pipelines import profile

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("param", profile.PARAMETERS, ids=lambda p: p.name)
def test_every_profile_parameter_is_in_the_readme(param):
    assert f"| `{param.name}` |" in README


def test_readme_opens_with_the_two_commands():
    lines = [ln.strip() for ln in README.splitlines() if ln.strip()]
    assert lines[1].startswith("make run") and lines[2].startswith("make test")
