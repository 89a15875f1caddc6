-- loan start: one row (none for an unknown loan) — the disbursement day of $loan_id, where its
-- day-by-day history starts (R-OUT).
with

final as (
    select disbursed_on
    from loans
    where loan_id = $loan_id
)

select * from final
