-- flows: one row per (loan_id, paid_on) with anything paid that day — principal and interest paid
-- on the day and their running totals (R-OUT, R-DPD).
-- principal = repayments.principal_paid + events of kind compensation and write_off (R-DPD: they
-- count as principal paid; R-OUT: they reduce outstanding). Recoveries do not (they go to the
-- parties after compensation, R-LOSS). interest = repayments.interest_paid.
-- Restricted to the rows with principal_paid > 0 (or interest_paid > 0), cum_principal_paid
-- (cum_interest_paid) strictly increases with paid_on: the ASOF joins of due_status.sql and
-- loan_state.sql rely on that.
with

repaid as (
    select loan_id, paid_on, principal_paid, interest_paid
    from repayments
),

principal_events as (
    select loan_id, event_on as paid_on, amount as principal_paid, 0::decimal(18, 2) as interest_paid
    from events
    where kind in ('compensation', 'write_off') and amount is not null
),

amounts as (
    select * from repaid
    union all
    select * from principal_events
),

per_day as (
    select
        loan_id,
        paid_on,
        sum(principal_paid)::decimal(18, 2) as principal_paid,
        sum(interest_paid)::decimal(18, 2) as interest_paid
    from amounts
    group by loan_id, paid_on
),

final as (
    select
        *,
        sum(principal_paid) over running::decimal(18, 2) as cum_principal_paid,
        sum(interest_paid) over running::decimal(18, 2) as cum_interest_paid
    from per_day
    window running as (partition by loan_id order by paid_on rows between unbounded preceding and current row)
)

select * from final
