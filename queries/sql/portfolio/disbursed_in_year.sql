-- disbursed_in_year: one row — loans and principal disbursed from 1 January of $as_of's year up
-- to and including $as_of (the overview's "disbursed this year"; C7 counts by the same calendar year).
-- R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter).
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select principal
    from main.loans
    where disbursed_on between date_trunc('year', $as_of::date)::date and $as_of::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select
        count(*) as loans,
        coalesce(sum(principal), 0)::decimal(38, 2) as principal
    from loans
)

select * from final
