-- due_status: one row per (loan_id, stream, due_on) with a positive amount due on that stream —
-- the running total due and the day the due became paid (R-DPD).
-- cum_due(d) = the stream's dues with due date <= d. The due is unpaid at t while
-- cum_due(d) > paid(t) + amount_tolerance; since paid(t) only grows, that holds exactly for
-- t < settled_on, where settled_on = the first payment day with cum_paid >= cum_due − tolerance
-- (ASOF join on the strictly increasing running totals of flows.sql). A shortfall of exactly the
-- tolerance (0.01) counts as paid; 0.02 does not. settled_on null = never paid (as far as the
-- ledgers go). A due covered by the tolerance alone gets settled_on = due_on (never late).
-- Reads engine-registered relations pw_dues (dues.sql) and pw_flows (flows.sql). Params: $amount_tolerance.
with

-- each stream's running total over its positive dues only (the principal stream is usually a
-- single row per loan, so its window is small)
principal_dues as (
    select
        loan_id,
        due_on,
        principal_due,
        sum(principal_due) over running::decimal(18, 2) as cum_principal_due
    from pw_dues
    where principal_due > 0
    window running as (partition by loan_id order by due_on rows between unbounded preceding and current row)
),

interest_dues as (
    select
        loan_id,
        due_on,
        interest_due,
        sum(interest_due) over running::decimal(18, 2) as cum_interest_due
    from pw_dues
    where interest_due > 0
    window running as (partition by loan_id order by due_on rows between unbounded preceding and current row)
),

principal_paid as (
    select loan_id, paid_on, cum_principal_paid from pw_flows where principal_paid > 0
),

interest_paid as (
    select loan_id, paid_on, cum_interest_paid from pw_flows where interest_paid > 0
),

principal_targets as (
    select loan_id, due_on, principal_due as amount, cum_principal_due as cum_due,
        (cum_principal_due - $amount_tolerance::decimal(18, 2))::decimal(18, 2) as settle_at
    from principal_dues
),

interest_targets as (
    select loan_id, due_on, interest_due as amount, cum_interest_due as cum_due,
        (cum_interest_due - $amount_tolerance::decimal(18, 2))::decimal(18, 2) as settle_at
    from interest_dues
),

principal_settled as (
    select
        t.loan_id,
        'principal' as stream,
        t.due_on,
        t.amount,
        t.cum_due,
        case when t.settle_at <= 0 then t.due_on else p.paid_on end as settled_on
    from principal_targets as t
    asof left join principal_paid as p
        on t.loan_id = p.loan_id
        and t.settle_at <= p.cum_principal_paid
),

interest_settled as (
    select
        t.loan_id,
        'interest' as stream,
        t.due_on,
        t.amount,
        t.cum_due,
        case when t.settle_at <= 0 then t.due_on else p.paid_on end as settled_on
    from interest_targets as t
    asof left join interest_paid as p
        on t.loan_id = p.loan_id
        and t.settle_at <= p.cum_interest_paid
),

final as (
    select * from principal_settled
    union all
    select * from interest_settled
)

select * from final
