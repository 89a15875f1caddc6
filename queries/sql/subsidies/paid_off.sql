-- R-SUB paid-off day: one row per loan whose borrower repayments dated <= $as_of have cleared its
-- principal within $amount_tolerance, with paid_off_on, the first day they did (the year of the
-- final principal repayment: subsidies/eligible.sql and subsidies/paid.sql both read this relation,
-- registered by queries/subsidies.py as subsidy_paid_off, so the two sides file a loan under the
-- same year).
-- Reads pw_flows (flows.sql, staged by the engine): its running principal per (loan, day) counts
-- the borrower's repayments plus compensation and write-off. For a loan with neither dated
-- <= as_of, every flows day <= as_of holds repayments only, and since amounts are never negative
-- (the ledgers reject them) the first day whose running total reaches the principal is the day
-- the per-repayment running sum first reaches it. The few loans with such an event keep the
-- running sum over their own repayments, which leaves the events out.
with

loans as (
    select loan_id, principal from main.loans
),

repayments as (
    select loan_id, paid_on, principal_paid
    from main.repayments
    where paid_on <= $as_of
),

-- a day whose running total reaches its loan's principal - tolerance reaches the smallest principal
-- - tolerance: a bound, so an exact filter of the flows days before the join (at 500k loans it
-- keeps the 0.4 M days after a principal repayment of the 5.1 M)
flows as (
    select loan_id, paid_on, cum_principal_paid
    from pw_flows
    where paid_on <= $as_of
        and cum_principal_paid >= (select min(principal) from main.loans) - $amount_tolerance::decimal(18, 2)
),

-- the loans whose flows count a compensation or write-off by as_of
with_events as (
    select distinct loan_id
    from main.events
    where kind in ('compensation', 'write_off') and amount is not null and event_on <= $as_of
),

from_flows as (
    select f.loan_id, min(f.paid_on) as paid_off_on
    from flows as f
    join loans as l using (loan_id)
    where f.cum_principal_paid >= l.principal - $amount_tolerance::decimal(18, 2)
        and f.loan_id not in (select loan_id from with_events)
    group by f.loan_id
),

principal_running as (
    select
        loan_id,
        paid_on,
        sum(principal_paid) over (partition by loan_id order by paid_on
                                  rows between unbounded preceding and current row) as cum_principal
    from repayments
    where loan_id in (select loan_id from with_events)
),

from_repayments as (
    select p.loan_id, min(p.paid_on) as paid_off_on
    from principal_running as p
    join loans as l using (loan_id)
    where p.cum_principal >= l.principal - $amount_tolerance::decimal(18, 2)
    group by p.loan_id
),

final as (
    select * from from_flows
    union all
    select * from from_repayments
)

select * from final
