-- disbursed_in_year: one row — loans and principal disbursed from 1 January of $as_of's year up
-- to and including $as_of (the overview's "disbursed this year"; C7 counts by the same calendar year).
-- Params: $as_of.
with

loans as (
    select principal
    from main.loans
    where disbursed_on between date_trunc('year', $as_of::date)::date and $as_of::date
),

final as (
    select
        count(*) as loans,
        coalesce(sum(principal), 0)::decimal(38, 2) as principal
    from loans
)

select * from final
