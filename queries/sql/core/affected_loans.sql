-- affected loans: one row per loan whose ledger rows a load changed — a row of loans, schedule,
-- repayments or events written by one of the load's batches ($batches), or a row those batches
-- replaced (kept in <ledger>_history with replaced_by_batch; a corrected repayment may have moved
-- to another loan). The stored per-loan intermediates of these loans, and only these, are
-- recomputed (queries/derived.py refresh). No rule id: plumbing.
with

touched as (
    select loan_id from main.loans where list_contains($batches, batch_id)
    union all select loan_id from main.schedule where list_contains($batches, batch_id)
    union all select loan_id from main.repayments where list_contains($batches, batch_id)
    union all select loan_id from main.events where list_contains($batches, batch_id)
    union all select loan_id from main.loans_history where list_contains($batches, replaced_by_batch)
    union all select loan_id from main.schedule_history where list_contains($batches, replaced_by_batch)
    union all select loan_id from main.repayments_history where list_contains($batches, replaced_by_batch)
    union all select loan_id from main.events_history where list_contains($batches, replaced_by_batch)
),

final as (
    select distinct loan_id from touched
)

select * from final
