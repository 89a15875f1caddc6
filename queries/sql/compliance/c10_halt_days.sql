-- C10 input: one row per distinct day before a disbursement (loans disbursed <= $as_of): the days
-- whose end-of-day program status (R-HALT) queries/compliance.py asks halt.status_on for.
with

loans as (
    select disbursed_on
    from loans
    where disbursed_on <= $as_of
),

final as (
    select distinct disbursed_on - 1 as day
    from loans
)

select * from final
order by day
