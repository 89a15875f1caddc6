-- written: one row per stored ledger row of a loan, current or replaced — (loan_id, batch_id), the
-- load batch that wrote it (R-FRESH's "a file with rows of its loans"). Every ledger row keeps the
-- batch that wrote it, and a replaced row keeps it in <kind>_history, so the loans, schedule,
-- repayments, events and collateral ledgers with their histories name every batch that brought a
-- loan's rows. Registered as fresh_written (queries/freshness.py) for loan_batches.sql and
-- bank_freshness.sql. Params: none.
with

final as (
    select loan_id, batch_id from main.loans
    union all select loan_id, batch_id from main.loans_history
    union all select loan_id, batch_id from main.schedule
    union all select loan_id, batch_id from main.schedule_history
    union all select loan_id, batch_id from main.repayments
    union all select loan_id, batch_id from main.repayments_history
    union all select loan_id, batch_id from main.events
    union all select loan_id, batch_id from main.events_history
    union all select loan_id, batch_id from main.collateral
    union all select loan_id, batch_id from main.collateral_history
)

select * from final
