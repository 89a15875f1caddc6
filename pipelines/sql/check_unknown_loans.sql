-- One row per staged row whose loan_id is not in the loans ledger (LEDGER.md "a repayment for
-- an unknown loan"). The stored loans include files loaded earlier in the same run, because a
-- directory loads in store.LOAD_ORDER (loans first) and each file commits before the next.
with staged_rows as (
    select _row, loan_id from staged where loan_id is not null
),

known as (
    select distinct loan_id from loans
),

final as (
    select
        staged_rows._row,
        'loan_id' as column_name,
        staged_rows.loan_id as raw_value,
        'unknown_loan' as code,
        null::varchar as detail
    from staged_rows
    anti join known on known.loan_id = staged_rows.loan_id
)

select * from final
