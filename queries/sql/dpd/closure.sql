-- closure: one row — how loan $loan_id ended by $as_of (issue 12 defect 6): renewed (a later loan
-- names it in renewed_from, 无还本续贷), compensated_written_off / written_off / compensated (the
-- events ledger's principal-reducing kinds, R-COMP / R-LOSS), repaid (repayments alone); closure
-- null and closed_on null while principal is still owed. closed_on: the day the last principal-
-- reducing entry brought the principal to zero (for a renewal without one: the renewal's date).
with

loan as (
    select loan_id, principal
    from loans
    where loan_id = $loan_id::varchar
),

reducing as (
    select paid_on as on_day, 'repayment' as how, principal_paid as amount
    from repayments
    where loan_id = $loan_id::varchar and paid_on <= $as_of::date and principal_paid > 0
    union all
    select event_on as on_day, kind as how, amount
    from events
    where loan_id = $loan_id::varchar and event_on <= $as_of::date and kind in ('compensation', 'write_off')
),

totals as (
    select
        coalesce(sum(amount), 0)::decimal(18, 2) as reduced,
        max(on_day) as last_on,
        coalesce(bool_or(how = 'compensation'), false) as compensated,
        coalesce(bool_or(how = 'write_off'), false) as written_off,
    from reducing
),

renewal as (
    select min(disbursed_on) as renewed_on
    from loans
    where renewed_from = $loan_id::varchar and disbursed_on <= $as_of::date
),

final as (
    select
        loan.loan_id,
        case
            when renewal.renewed_on is not null then 'renewed'
            when totals.reduced < loan.principal then null
            when totals.compensated and totals.written_off then 'compensated_written_off'
            when totals.written_off then 'written_off'
            when totals.compensated then 'compensated'
            else 'repaid'
        end as closure,
        case
            when totals.reduced >= loan.principal then totals.last_on
            else renewal.renewed_on
        end as closed_on,
    from loan
    cross join totals
    cross join renewal
)

select * from final
