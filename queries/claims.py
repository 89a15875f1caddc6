"""R-COMP and R-LOSS: compensation claims and their deadline, and how the loss is shared.

claims/claim_notices.sql finds each loan's earliest notice (later ones are re-sent notices, only
counted); this module asks R-OUT / R-DPD (dpd.loan_state_at) for the loan's outstanding principal
and DPD at the end of that day and hands them to claims/claims.sql and claims/loss_sharing.sql as
the relation ``notice_state``, so a claim uses exactly the figures the risk pages show. Money
columns hold ``decimal.Decimal`` (runner.objects).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from queries import dpd, runner

NOTICE_STATE = "notice_state"  # the fixed relation name claims.sql and loss_sharing.sql read
_SCHEMA = pa.schema([("loan_id", pa.string()), ("notice_on", pa.date32()), ("notice_count", pa.int64()),
                     ("outstanding", pa.decimal128(18, 2)), ("dpd", pa.int64())])


def notice_state(con, as_of, profile=None, scope=None) -> pa.Table:
    """(loan_id, notice_on, notice_count, outstanding, dpd) at each loan's first notice dated <= as_of,
    for the loans in ``scope`` (R-SCOPE; None = every loan)."""
    p = runner.params(profile, as_of, scope)
    notices = runner.arrow(con, "claims/claim_notices", p)
    if notices.num_rows == 0:
        return _SCHEMA.empty_table()
    probes = pa.table({"loan_id": notices["loan_id"].cast(pa.string()), "at": notices["notice_on"].cast(pa.date32())})
    state = pa.Table.from_pandas(dpd.loan_state_at(con, probes, profile)[["loan_id", "at", "outstanding", "dpd"]],
                                 preserve_index=False)
    # inner join: the engine knows only loans on the loans ledger; a notice for an unknown loan has
    # no claim (ingestion rejects such events anyway)
    with runner.registered(con, "claim_notice_rows", notices), runner.registered(con, "claim_notice_probes", state):
        return runner.arrow(con, "claims/notice_state").cast(_SCHEMA)


def claims(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """R-COMP: one row per compensation claim existing at the end of ``as_of`` (of the loans in
    ``scope``, R-SCOPE).

    Columns: loan_id, credit_code, enterprise_name, bank, pledge_mode, guarantor, appraiser,
    notice_on, notice_count, deadline, outstanding_at_notice, dpd_at_notice, premature,
    bank_disposal, expected_guarantor, expected_appraiser, received_guarantor,
    received_appraiser, received_other, status (settled / pending / late / bank_disposal),
    settled_on, days_left (deadline - as_of while unsettled; negative when late).
    """
    with runner.registered(con, NOTICE_STATE, notice_state(con, as_of, profile, scope)):
        return runner.objects(con, "claims/claims", runner.params(profile, as_of, scope))


def loss_sharing(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """R-LOSS: one row per (compensated loan in ``scope``, party) with loss_part, recovery_part and
    net_loss."""
    with runner.registered(con, NOTICE_STATE, notice_state(con, as_of, profile, scope)):
        return runner.objects(con, "claims/loss_sharing", runner.params(profile, as_of, scope))


def status_counts(claim_rows: pd.DataFrame) -> dict[str, int]:
    """Claims per status (settled / pending / late / bank_disposal) of claims()' rows, 0 when none."""
    counts = claim_rows["status"].value_counts() if len(claim_rows) else {}
    return {s: int(counts.get(s, 0)) for s in ("settled", "pending", "late", "bank_disposal")}
