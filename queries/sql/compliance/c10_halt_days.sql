-- C10 input: one row per distinct day before a disbursement (loans disbursed <= $as_of): the days
-- whose end-of-day program status (R-HALT) queries/compliance.py asks halt.status_on for;
-- R-SCOPE: only the optional scope's loans need one (the status itself is program-wide).
with

loans as (
    select disbursed_on
    from loans
    where disbursed_on <= $as_of
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select distinct disbursed_on - 1 as day
    from loans
)

select * from final
order by day
