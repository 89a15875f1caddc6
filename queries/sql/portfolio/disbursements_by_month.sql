-- disbursements_by_month: one row per (month, bank) — the number and principal of loans
-- disbursed in that calendar month by that bank, up to and including $as_of (overview chart).
-- Plain ledger aggregation; no rule id (context for the R-NPL charts).
-- Params: $as_of.
with

loans as (
    select bank, principal, disbursed_on
    from main.loans
    where disbursed_on <= $as_of::date
),

final as (
    select
        date_trunc('month', disbursed_on)::date as month,
        bank,
        count(*) as loans,
        sum(principal)::decimal(38, 2) as principal
    from loans
    group by all
)

select * from final
order by month, bank
