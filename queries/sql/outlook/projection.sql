-- projection: one row per day u from $as_of (days_ahead 0, the actual figures) to $as_of + 90 —
-- the program-wide active and overdue balances and the ratio if nothing new happens, in the base
-- and the stress case (R-PROJ; R-OUT, R-DPD and R-NPL applied to the assumed payments; the breach
-- is R-HALT's, strictly above npl_halt_threshold, decided on DECIMAL).
-- Assumptions (RULES.md R-PROJ): no new loans, no compensation or write-off. A loan active with
-- DPD 0 at t pays, on each due date d >= t, what brings each stream up to cum_due(d): its interest
-- is never late and its principal falls to principal − max(paid(t), cum_due(d)) from the end of d.
-- A loan with DPD >= 1 at t pays nothing more: its outstanding stays, its oldest unpaid due stays.
-- The principal dues are completed (a supplied schedule short of the principal gets the remainder
-- due on matures_on). Stress: a loan current at t that had DPD >= 1 on a day before t (itself or a
-- loan up its renewed_from chain) pays interest and its principal dues before matures_on, not the
-- principal due on matures_on (nor any later one).
-- Since every assumed payment settles its due on its own date, a loan's projected DPD at u is
-- u − L, L = the earliest completed due never settled (the oldest unpaid due at t of a loan with
-- DPD >= 1; the completed maturity due when it stays unpaid, > paid + amount_tolerance). It counts
-- as overdue from L + overdue_dpd_threshold with its final outstanding, which no longer changes.
-- Each loan contributes change events (day, Δ active, Δ overdue per case); the running sums over
-- the days are the balances. Supplied dues after matures_on are taken as they are (not expected).
-- Reads engine-registered relations pw_snapshot (dpd/snapshot.sql, program-wide: R-SCOPE),
-- pw_due_status (dpd/due_status.sql) and pw_first_late (dpd/first_late.sql), and table loans
-- (renewed_from).
-- Params: $as_of, $amount_tolerance, $overdue_dpd_threshold, $npl_halt_threshold.
with recursive

active as (
    select
        loan_id,
        principal,
        matures_on,
        outstanding,
        dpd,
        oldest_unpaid_due,
        overdue,
        (principal - outstanding)::decimal(18, 2) as paid_at,
        dpd = 0 as is_current
    from pw_snapshot
    where active
),

-- DPD >= 1 on some day s < t: a due d still unpaid at the end of d + 1 <= t − 1 (R-DPD), i.e. the
-- loan's first late day (dpd/first_late.sql) is before t
late_before as (
    select loan_id
    from pw_first_late
    where first_late_on < $as_of::date
),

ancestors (loan_id, ancestor, depth) as (
    select loans.loan_id, loans.renewed_from, 1
    from main.loans as loans
    semi join active on active.loan_id = loans.loan_id and active.is_current
    where loans.renewed_from is not null
    union all
    select ancestors.loan_id, loans.renewed_from, ancestors.depth + 1
    from ancestors
    inner join main.loans as loans on loans.loan_id = ancestors.ancestor
    where loans.renewed_from is not null and ancestors.depth < 1000
),

chain_late as (
    select distinct ancestors.loan_id
    from ancestors
    semi join late_before on late_before.loan_id = ancestors.ancestor
),

flagged as (
    select
        active.*,
        active.is_current and (own.loan_id is not null or chain.loan_id is not null) as stressed
    from active
    left join late_before as own using (loan_id)
    left join chain_late as chain using (loan_id)
),

-- the active loans' principal dues (one or a few a loan; about a quarter of the book is active, so
-- the group bys below run over a quarter of the rows)
scheduled_dues as (
    select due_status.loan_id, due_status.due_on, due_status.amount
    from pw_due_status as due_status
    semi join active using (loan_id)
    where due_status.stream = 'principal'
),

scheduled_totals as (
    select loan_id, sum(amount) as scheduled
    from scheduled_dues
    group by loan_id
),

completion as (
    select
        active.loan_id,
        active.matures_on as due_on,
        (active.principal - coalesce(totals.scheduled, 0))::decimal(18, 2) as amount
    from active
    left join scheduled_totals as totals using (loan_id)
    where active.principal > coalesce(totals.scheduled, 0)
),

completed as (
    select loan_id, due_on, sum(amount)::decimal(18, 2) as amount
    from (select * from scheduled_dues union all select * from completion)
    group by loan_id, due_on
),

dues as (
    select
        completed.loan_id,
        completed.due_on,
        sum(completed.amount) over running::decimal(18, 2) as cum_due,
        flagged.principal,
        flagged.paid_at,
        flagged.outstanding,
        flagged.matures_on,
        flagged.stressed,
        flagged.is_current and completed.due_on >= $as_of::date as base_pays,
        flagged.is_current and completed.due_on >= $as_of::date
            and not (flagged.stressed and completed.due_on >= flagged.matures_on) as stress_pays
    from completed
    inner join flagged using (loan_id)
    window running as (partition by completed.loan_id order by completed.due_on
        rows between unbounded preceding and current row)
),

-- outstanding after each assumed principal payment, and its change from the level before
base_levels as (
    select
        loan_id,
        greatest(due_on, $as_of::date + 1) as day,
        stressed,
        greatest(principal - greatest(paid_at, cum_due), 0)::decimal(18, 2) as level,
        outstanding
    from dues
    where base_pays
),

base_payments as (
    select
        day,
        (level - lag(level, 1, outstanding) over (partition by loan_id order by day))::decimal(18, 2) as change,
        stressed
    from base_levels
),

stress_levels as (
    select
        loan_id,
        greatest(due_on, $as_of::date + 1) as day,
        greatest(principal - greatest(paid_at, cum_due), 0)::decimal(18, 2) as level,
        outstanding
    from dues
    where stress_pays and stressed
),

stress_payments as (
    select
        day,
        (level - lag(level, 1, outstanding) over (partition by loan_id order by day))::decimal(18, 2) as change
    from stress_levels
),

-- per loan: principal paid at the end of the projection, and the maturity due's cumulative total
per_loan as (
    select
        flagged.loan_id,
        flagged.principal,
        flagged.matures_on,
        flagged.overdue,
        flagged.dpd,
        flagged.oldest_unpaid_due,
        greatest(flagged.paid_at, coalesce(max(dues.cum_due) filter (where dues.base_pays), 0)) as base_paid,
        greatest(flagged.paid_at, coalesce(max(dues.cum_due) filter (where dues.stress_pays), 0)) as stress_paid,
        max(dues.cum_due) filter (where dues.due_on = flagged.matures_on and not dues.base_pays) as base_maturity_due,
        max(dues.cum_due) filter (where dues.due_on = flagged.matures_on and not dues.stress_pays) as stress_maturity_due
    from flagged
    left join dues using (loan_id)
    group by flagged.loan_id, flagged.principal, flagged.matures_on, flagged.overdue, flagged.dpd,
        flagged.oldest_unpaid_due, flagged.paid_at
),

late as (
    select
        *,
        least(
            case when dpd >= 1 then oldest_unpaid_due end,
            case when base_maturity_due > base_paid + $amount_tolerance::decimal(18, 2) then matures_on end
        ) as base_late_since,
        least(
            case when dpd >= 1 then oldest_unpaid_due end,
            case when stress_maturity_due > stress_paid + $amount_tolerance::decimal(18, 2) then matures_on end
        ) as stress_late_since
    from per_loan
    where not overdue
),

events as (
    select
        $as_of::date as day,
        outstanding as base_active,
        case when overdue then outstanding else 0 end as base_overdue,
        outstanding as stress_active,
        case when overdue then outstanding else 0 end as stress_overdue
    from active
    union all
    select day, change, 0, case when stressed then 0 else change end, 0
    from base_payments
    union all
    select day, 0, 0, change, 0
    from stress_payments
    union all
    select greatest(base_late_since + $overdue_dpd_threshold::integer, $as_of::date + 1), 0,
        greatest(principal - base_paid, 0), 0, 0
    from late
    where base_late_since is not null
    union all
    select greatest(stress_late_since + $overdue_dpd_threshold::integer, $as_of::date + 1), 0, 0, 0,
        greatest(principal - stress_paid, 0)
    from late
    where stress_late_since is not null
),

per_day as (
    select
        day,
        sum(base_active) as base_active,
        sum(base_overdue) as base_overdue,
        sum(stress_active) as stress_active,
        sum(stress_overdue) as stress_overdue
    from events
    where day <= $as_of::date + 90
    group by day
),

days as (
    select ($as_of::date + ahead::integer) as day, ahead::integer as days_ahead
    from range(0, 91) as horizon(ahead)
),

running as (
    select
        days.day,
        days.days_ahead,
        sum(coalesce(per_day.base_active, 0)) over by_day::decimal(38, 2) as base_active_balance,
        sum(coalesce(per_day.base_overdue, 0)) over by_day::decimal(38, 2) as base_overdue_balance,
        sum(coalesce(per_day.stress_active, 0)) over by_day::decimal(38, 2) as stress_active_balance,
        sum(coalesce(per_day.stress_overdue, 0)) over by_day::decimal(38, 2) as stress_overdue_balance
    from days
    left join per_day using (day)
    window by_day as (order by days.day rows between unbounded preceding and current row)
),

final as (
    select
        day,
        days_ahead,
        base_active_balance,
        base_overdue_balance,
        pw_ratio(base_overdue_balance, base_active_balance) as base_npl_ratio,
        pw_breach(base_overdue_balance, base_active_balance, $npl_halt_threshold::decimal(18, 8)) as base_breach,
        stress_active_balance,
        stress_overdue_balance,
        pw_ratio(stress_overdue_balance, stress_active_balance) as stress_npl_ratio,
        pw_breach(stress_overdue_balance, stress_active_balance, $npl_halt_threshold::decimal(18, 8))
            as stress_breach
    from running
)

select * from final
order by day
