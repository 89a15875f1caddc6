-- loan terms: one row (none when unknown) — the loans-ledger row of $loan_id as loaded, without
-- the extras and the batch id (the loan page's terms). No rule.
with

final as (
    select * exclude (extras, batch_id)
    from loans
    where loan_id = $loan_id
)

select * from final
