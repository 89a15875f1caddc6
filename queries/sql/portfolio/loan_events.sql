-- loan events: one row per risk event of $loan_id (notice, compensation, recovery, write-off), by
-- date, kind and party (the loan page; R-COMP, R-LOSS read the same ledger).
with

final as (
    select * exclude (extras, batch_id)
    from events
    where loan_id = $loan_id
)

select * from final
order by event_on, kind, party
