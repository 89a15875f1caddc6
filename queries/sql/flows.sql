-- flows: one row per (loan_id, stream, paid_on) — what was paid towards one stream on one day,
-- with the running total (R-OUT, R-DPD).
-- stream 'principal' = repayments.principal_paid + events of kind compensation and write_off
-- (R-DPD: they count as principal paid; R-OUT: they reduce outstanding). Recoveries do not
-- (they go to the parties after compensation, R-LOSS).
-- stream 'interest' = repayments.interest_paid.
-- Days with nothing paid on a stream are left out, so cum_paid strictly increases with paid_on
-- (the ASOF joins of due_status.sql and loan_state.sql rely on that).
with

repayments as (
    select loan_id, paid_on, principal_paid, interest_paid
    from main.repayments
),

principal_events as (
    select loan_id, event_on as paid_on, amount
    from main.events
    where kind in ('compensation', 'write_off') and amount is not null
),

amounts as (
    select loan_id, 'principal' as stream, paid_on, principal_paid as amount from repayments
    union all
    select loan_id, 'interest' as stream, paid_on, interest_paid as amount from repayments
    union all
    select loan_id, 'principal' as stream, paid_on, amount from principal_events
),

per_day as (
    select loan_id, stream, paid_on, sum(amount)::decimal(18, 2) as amount
    from amounts
    group by loan_id, stream, paid_on
    having sum(amount) > 0
),

final as (
    select
        *,
        sum(amount) over (
            partition by loan_id, stream order by paid_on rows between unbounded preceding and current row
        )::decimal(18, 2) as cum_paid
    from per_day
)

select * from final
