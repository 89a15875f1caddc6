"""R-SCOPE: an account's role and organisation give its scope; nothing widens to every loan."""

import pytest

from queries import runner


def test_bureau_roles_see_every_loan():
    assert runner.scope_for("bureau_admin", None) is None
    assert runner.scope_for("bureau_viewer", None) is None


@pytest.mark.parametrize("role", ["bank", "guarantor", "appraiser"])
def test_party_roles_are_limited_to_their_organisation(role):
    assert runner.scope_for(role, "邮储银行安义县支行") == {role: "邮储银行安义县支行"}
    p = runner.params(None, "2025-06-30", runner.scope_for(role, "X"))
    assert p[f"scope_{role}"] == "X" and runner.is_scoped(p)


@pytest.mark.parametrize("role,org", [("bank", None), ("bank", ""), ("admin", None), ("guarantor", "")])
def test_a_party_role_without_organisation_or_an_unknown_role_is_refused(role, org):
    with pytest.raises(ValueError):
        runner.scope_for(role, org)
