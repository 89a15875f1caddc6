-- institutions: one row per (dimension, name) — the distinct banks, guarantors and appraisers
-- named in the loans ledger, for the dashboard's filter lists. R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter): a party sees the names on its own loans.
with

loans as (
    select bank, guarantor, appraiser from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select distinct 'bank' as dimension, bank as name from loans
    union
    select distinct 'guarantor', guarantor from loans where guarantor is not null
    union
    select distinct 'appraiser', appraiser from loans
)

select * from final
order by dimension, name
