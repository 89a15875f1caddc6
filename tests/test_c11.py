"""C11: an indirect pledge names a guarantor; a direct pledge names none."""

from __future__ import annotations

import pytest
from compliance_fixtures import broken
from obligation_fixtures import add_loan


@pytest.mark.parametrize(("mode", "guarantor", "fails"), [
    ("indirect", "G1", False), ("indirect", None, True), ("indirect", " ", True),
    ("direct", None, False), ("direct", "G1", True),
])
def test_c11_guarantor_named_exactly_for_indirect_pledges(con, mode, guarantor, fails):
    add_loan(con, "L", pledge_mode=mode, guarantor=guarantor)
    assert broken(con) == ({"L": ["C11"]} if fails else {})
