-- due_status: one row per (loan_id, stream, due_on) with a positive amount due on that stream —
-- the running total due and the day the due became paid (R-DPD).
-- cum_due(d) = the stream's dues with due date <= d. The due is unpaid at t while
-- cum_due(d) > paid(t) + amount_tolerance; since paid(t) only grows, that holds exactly for
-- t < settled_on, where settled_on = the first payment day with cum_paid >= cum_due - tolerance
-- (ASOF join on the strictly increasing cum_paid of flows.sql). A shortfall of exactly the
-- tolerance (0.01) counts as paid; 0.02 does not. settled_on null = never paid (as far as the
-- ledgers go). A due covered by the tolerance alone gets settled_on = due_on (never late).
-- Reads temp tables pw_dues (dues.sql) and pw_flows (flows.sql). Params: $amount_tolerance.
with

dues as (
    select loan_id, due_on, 'principal' as stream, principal_due as amount from pw_dues
    union all
    select loan_id, due_on, 'interest' as stream, interest_due as amount from pw_dues
),

positive_dues as (
    select
        *,
        sum(amount) over (
            partition by loan_id, stream order by due_on rows between unbounded preceding and current row
        )::decimal(18, 2) as cum_due
    from dues
    where amount > 0
),

targets as (
    select *, (cum_due - $amount_tolerance::decimal(18, 2))::decimal(18, 2) as settle_at
    from positive_dues
),

settled as (
    select
        targets.loan_id,
        targets.stream,
        targets.due_on,
        targets.amount,
        targets.cum_due,
        case when targets.settle_at <= 0 then targets.due_on else flows.paid_on end as settled_on
    from targets
    asof left join pw_flows as flows
        on targets.loan_id = flows.loan_id
        and targets.stream = flows.stream
        and targets.settle_at <= flows.cum_paid
),

final as (
    select * from settled
)

select * from final
