-- loan_dues: one row per due of one loan ($loan_id) — the schedule (supplied or generated,
-- R-SCHED) beside when each stream's due was paid (R-DPD, with the amount tolerance), for the
-- loan detail page. days_late_* = settled_on − due_on when paid late (> 0), else 0; null when
-- still unpaid. Reads engine-registered relations pw_dues and pw_due_status. R-SCOPE: nothing for a loan outside the optional
-- scope ($scope_bank / $scope_guarantor / $scope_appraiser), as for an unknown loan.
-- Params: $loan_id, $scope_bank, $scope_guarantor, $scope_appraiser.
with

in_scope as (
    select loan_id
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

dues as (
    select * from pw_dues where loan_id = $loan_id::varchar and loan_id in (select loan_id from in_scope)
),

status as (
    select * from pw_due_status where loan_id = $loan_id::varchar
),

final as (
    select
        dues.loan_id,
        dues.due_on,
        dues.principal_due,
        dues.interest_due,
        dues.source,
        principal.cum_due as cum_principal_due,
        principal.settled_on as principal_settled_on,
        interest.cum_due as cum_interest_due,
        interest.settled_on as interest_settled_on,
        greatest(principal.settled_on - dues.due_on, 0) as days_late_principal,
        greatest(interest.settled_on - dues.due_on, 0) as days_late_interest
    from dues
    left join status as principal
        on principal.stream = 'principal' and principal.due_on = dues.due_on
    left join status as interest
        on interest.stream = 'interest' and interest.due_on = dues.due_on
)

select * from final
order by due_on
