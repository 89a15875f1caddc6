-- loan terms: one row (none when unknown) — the loans-ledger row of $loan_id as loaded, without
-- the extras and the batch id (the loan page's terms). R-SCOPE: a loan outside the optional scope
-- ($scope_bank / $scope_guarantor / $scope_appraiser) gives no row, as an unknown one; with a scope
-- a renewed_from naming a loan outside it is not shown (null).
with

in_scope as (
    select loan_id
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

scoped_loans as (
    select loan_id
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select * exclude (extras, batch_id) replace (
        case when renewed_from in (select loan_id from scoped_loans)
                  or ($scope_bank::varchar is null and $scope_guarantor::varchar is null
                      and $scope_appraiser::varchar is null) then renewed_from end as renewed_from)
    from loans
    where loan_id = $loan_id and loan_id in (select loan_id from in_scope)
)

select * from final
