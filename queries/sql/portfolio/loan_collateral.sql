-- loan collateral: one row per pledged IP of $loan_id (collateral ledger), by ip_number (the loan
-- page; C8 and R-COVER read the same rows).
with

final as (
    select * exclude (extras, batch_id)
    from collateral
    where loan_id = $loan_id
)

select * from final
order by ip_number
