-- loan_payments: one row per repayment or principal-reducing event of one loan ($loan_id), for the
-- loan detail page (R-OUT): what was paid, on which stream, and the outstanding after it.
-- kind: repayment | compensation | write_off | recovery (recovery does not reduce outstanding).
-- R-SCOPE: nothing for a loan outside the optional
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

repayments as (
    select loan_id, paid_on, 'repayment' as kind, null::varchar as party, principal_paid, interest_paid,
        txn_id
    from main.repayments
    where loan_id = $loan_id::varchar and loan_id in (select loan_id from in_scope)
),

events as (
    select loan_id, event_on as paid_on, kind, party,
        case when kind in ('compensation', 'write_off') then amount else 0 end::decimal(18, 2) as principal_paid,
        0::decimal(18, 2) as interest_paid,
        null::varchar as txn_id
    from main.events
    where loan_id = $loan_id::varchar and kind in ('compensation', 'write_off', 'recovery')
        and loan_id in (select loan_id from in_scope)
),

recovery_amounts as (
    select loan_id, event_on, party, amount from main.events
    where loan_id = $loan_id::varchar and kind = 'recovery'
),

rows_ as (
    select * from repayments
    union all
    select * from events
),

final as (
    select
        rows_.loan_id,
        rows_.paid_on,
        rows_.kind,
        rows_.party,
        rows_.principal_paid,
        rows_.interest_paid,
        recovery_amounts.amount as recovered,
        rows_.txn_id,
        greatest(loans.principal - sum(rows_.principal_paid) over (
            order by rows_.paid_on, rows_.kind, rows_.txn_id rows between unbounded preceding and current row
        ), 0)::decimal(18, 2) as outstanding_after
    from rows_
    inner join main.loans using (loan_id)
    left join recovery_amounts
        on rows_.kind = 'recovery' and recovery_amounts.event_on = rows_.paid_on
        and recovery_amounts.party is not distinct from rows_.party
)

select * from final
order by paid_on, kind, txn_id
