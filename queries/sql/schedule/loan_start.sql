-- loan start: one row (none for an unknown loan) — the disbursement day of $loan_id, where its
-- day-by-day history starts (R-OUT). R-SCOPE: nothing for a loan outside the optional
-- scope ($scope_bank / $scope_guarantor / $scope_appraiser), as for an unknown loan.
with

final as (
    select disbursed_on
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
)

select * from final
