-- disbursements_by_month: one row per (month, bank) — the number and principal of loans
-- disbursed in that calendar month by that bank, up to and including $as_of (overview chart).
-- Plain ledger aggregation; no rule id (context for the R-NPL charts).
-- R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter).
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select bank, principal, disbursed_on
    from main.loans
    where disbursed_on <= $as_of::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
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
