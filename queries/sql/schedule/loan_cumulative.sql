-- loan_cumulative: one row per due date (side = 'due') and per payment row (side = 'paid') of one
-- loan, for the loan page's cumulative chart. A 'due' row holds what was due up to that date
-- (R-SCHED: each stream's cumulative dues, principal plus interest, a stream without a due on the
-- date carried forward from its last one); a 'paid' row what was paid up to and including that
-- payment (R-OUT: principal and interest paid, in the payment list's order). amount in yuan, exact.
-- Reads loan_cumulative_dues (schedule/loan_dues.sql's rows) and loan_cumulative_payments
-- (dpd/loan_payments.sql's rows), registered by queries.schedule.cumulative.
with

dues as (
    select * from loan_cumulative_dues
),

payments as (
    select * from loan_cumulative_payments
),

due_steps as (
    select
        due_on as day,
        'due' as side,
        (coalesce(last_value(cum_principal_due ignore nulls) over running, 0)
            + coalesce(last_value(cum_interest_due ignore nulls) over running, 0))::decimal(38, 2) as amount,
        row_number() over running as step
    from dues
    window running as (order by due_on rows between unbounded preceding and current row)
),

paid_steps as (
    select
        paid_on as day,
        'paid' as side,
        (sum(coalesce(principal_paid, 0) + coalesce(interest_paid, 0)) over running)::decimal(38, 2) as amount,
        row_number() over running as step
    from payments
    window running as (order by paid_on, kind, txn_id rows between unbounded preceding and current row)
),

final as (
    select * from due_steps
    union all
    select * from paid_steps
)

select * from final
order by side, step
