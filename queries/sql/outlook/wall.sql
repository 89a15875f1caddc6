-- wall: one row per (horizon, bank) — the maturity wall (R-WALL): for h in 30, 60, 90 the unpaid
-- part of each principal due with due_on in ($as_of, $as_of + h] of loans active at $as_of (in the
-- optional scope, R-SCOPE), split into loans with DPD 0 (principal_current) and DPD >= 1
-- (principal_late) at $as_of. Payments apply to the oldest due first: a due's unpaid part is
-- cum_due − principal paid by $as_of, between 0 and the due's amount (R-OUT's paid = principal −
-- outstanding). Banks with nothing unpaid due in the window are left out.
-- Reads engine-registered relations pw_snapshot (program-wide, filtered here) and pw_due_status.
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

horizons as (
    select * from (values (30), (60), (90)) as h(horizon)
),

snapshot as (
    select loan_id, bank, principal, outstanding, dpd
    from pw_snapshot
    where active
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

dues as (
    select loan_id, due_on, amount, cum_due
    from pw_due_status
    where stream = 'principal' and due_on > $as_of::date and due_on <= $as_of::date + 90
),

unpaid as (
    select
        snapshot.bank,
        snapshot.dpd,
        dues.due_on,
        greatest(least(dues.amount, dues.cum_due - (snapshot.principal - snapshot.outstanding)), 0)
            ::decimal(18, 2) as unpaid
    from dues
    inner join snapshot using (loan_id)
),

final as (
    select
        horizons.horizon,
        unpaid.bank,
        coalesce(sum(unpaid.unpaid) filter (where unpaid.dpd = 0), 0)::decimal(38, 2) as principal_current,
        coalesce(sum(unpaid.unpaid) filter (where unpaid.dpd >= 1), 0)::decimal(38, 2) as principal_late
    from horizons
    inner join unpaid on unpaid.due_on <= $as_of::date + horizons.horizon
    group by horizons.horizon, unpaid.bank
    having sum(unpaid.unpaid) > 0
)

select * from final
order by horizon, bank
