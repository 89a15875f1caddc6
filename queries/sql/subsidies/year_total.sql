-- R-SUB of one year: a single row with the eligible subsidy (after the caps) of the loans whose
-- final principal repayment falls in the year of $as_of — the overview's "subsidies this year" —,
-- how many (loan, kind) rows it sums, and unconfirmed = some part rests on an unconfirmed or
-- carried-forward policy year. Reads subsidy_eligible_rows (the output of subsidies/eligible.sql),
-- registered by queries/subsidies.py (a fixed view name, not user input).
with

eligible as (
    select * from subsidy_eligible_rows
),

this_year as (
    select amount, confirmed
    from eligible
    where year = year($as_of::date)
),

final as (
    select
        count(*) as rows,
        coalesce(sum(amount), 0)::decimal(38, 2) as amount,
        coalesce(bool_or(not confirmed), false) as unconfirmed,
    from this_year
)

select * from final
