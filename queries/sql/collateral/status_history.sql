-- status_history: one row per ip_status record of an IP that loan $loan_id pledges — the IP's legal
-- status history (R-IPSTAT), in date order and, within a day, in the precedence order of RULES.md
-- (the last row of a day is the one that stands). R-SCOPE: nothing for a loan outside the optional
-- scope ($scope_bank / $scope_guarantor / $scope_appraiser), as for an unknown loan.
with

in_scope as (
    select loan_id
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

items as (
    select ip_number, ip_type from collateral where loan_id = $loan_id and loan_id in (select loan_id from in_scope)
),

records as (
    select
        s.ip_number,
        i.ip_type,
        s.status_on,
        s.status,
        s.fee_paid_until,
        list_position(['valid', 'fee_paid', 'restored', 'fee_overdue', 'invalidation_requested',
                       'partially_invalidated', 'terminated', 'invalidated', 'expired', 'pledge_released',
                       'pledge_registered'], s.status) as precedence,
    from ip_status as s
    join items as i using (ip_number)
),

final as (
    select ip_number, ip_type, status_on, status, fee_paid_until, precedence
    from records
)

select * from final
order by ip_number, status_on, precedence
