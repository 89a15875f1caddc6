-- loan ids: one row per loan of the loans ledger, by loan_id (the loan picker).
-- R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter).
with

final as (
    select loan_id
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
)

select * from final
order by loan_id
