-- loan_state: one row per probe (loan_id, at) — the loan's state at the end of day `at`
-- (R-OUT, R-DPD). The general point-in-time primitive: the snapshot is every loan at as_of,
-- queries/claims.py probes outstanding and DPD at notice dates.
--   outstanding = principal − principal paid by `at` (repayments + compensation + write-off),
--                 never below 0 (R-OUT); active = disbursed_on <= at and outstanding > 0.
--   oldest unpaid due per stream = earliest due_on < at still unpaid at `at`
--                 (settled_on null or > at, see due_status.sql); a due is not late on its own
--                 due date (due_on < at), unpaid at the end of d + 1 it is 1 day past due.
--   dpd_<stream> = at − that date, 0 when none; dpd = the larger of the two streams.
-- Reads engine-registered relations pw_probes (loan_id, at), pw_flows, pw_due_status and table loans.
with

probes as (
    select distinct pw_probes.loan_id, pw_probes.at::date as at
    from pw_probes
    inner join main.loans using (loan_id)
),

principal_flows as (
    select loan_id, paid_on, cum_principal_paid as cum_paid
    from pw_flows
    where principal_paid > 0
),

paid_by_probe as (
    select probes.loan_id, probes.at, coalesce(principal_flows.cum_paid, 0) as principal_paid
    from probes
    asof left join principal_flows
        on probes.loan_id = principal_flows.loan_id
        and probes.at >= principal_flows.paid_on
),

unpaid_dues as (
    select
        probes.loan_id,
        probes.at,
        min(dues.due_on) filter (where dues.stream = 'principal') as oldest_unpaid_principal,
        min(dues.due_on) filter (where dues.stream = 'interest') as oldest_unpaid_interest
    from probes
    inner join pw_due_status as dues
        on probes.loan_id = dues.loan_id
        and dues.due_on < probes.at
        and (dues.settled_on is null or dues.settled_on > probes.at)
    group by probes.loan_id, probes.at
),

final as (
    select
        paid_by_probe.loan_id,
        paid_by_probe.at,
        loans.principal,
        loans.disbursed_on,
        greatest(loans.principal - paid_by_probe.principal_paid, 0)::decimal(18, 2) as outstanding,
        loans.disbursed_on <= paid_by_probe.at and loans.principal - paid_by_probe.principal_paid > 0 as active,
        coalesce(paid_by_probe.at - unpaid_dues.oldest_unpaid_principal, 0)::integer as dpd_principal,
        coalesce(paid_by_probe.at - unpaid_dues.oldest_unpaid_interest, 0)::integer as dpd_interest,
        greatest(dpd_principal, dpd_interest) as dpd,
        unpaid_dues.oldest_unpaid_principal,
        unpaid_dues.oldest_unpaid_interest,
        least(unpaid_dues.oldest_unpaid_principal, unpaid_dues.oldest_unpaid_interest) as oldest_unpaid_due
    from paid_by_probe
    inner join main.loans using (loan_id)
    left join unpaid_dues
        on paid_by_probe.loan_id = unpaid_dues.loan_id
        and paid_by_probe.at = unpaid_dues.at
)

select * from final
