-- loan events: one row per risk event of $loan_id (notice, compensation, recovery, write-off), by
-- date, kind and party (the loan page; R-COMP, R-LOSS read the same ledger). R-SCOPE: none for a
-- loan outside the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser).
with

in_scope as (
    select loan_id
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select * exclude (extras, batch_id)
    from events
    where loan_id = $loan_id and loan_id in (select loan_id from in_scope)
)

select * from final
order by event_on, kind, party
