"""无还本续贷 (RULES.md, after the compliance table): renewal chains — a renewal is a new loan naming
the loan it renews; renewals/renewal_chains.sql follows the chain from its root."""

from __future__ import annotations

import pandas as pd

from queries import runner


def renewal_chains(con, scope=None) -> pd.DataFrame:
    """Every loan (in ``scope``, R-SCOPE: chains followed over its loans only) with chain_id,
    position, chain_length and original_disbursed_on."""
    return runner.objects(con, "renewals/renewal_chains", runner.scope_params(scope))
