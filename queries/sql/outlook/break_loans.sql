-- break_loans: one row per loan of R-BREAK's breach_loans — the first $loans_to_breach active
-- loans with DPD 0 at $as_of by outstanding descending, ties by loan_id (program-wide order), kept
-- only when in the optional scope (R-SCOPE: a scoped user sees its own of them); breach_rank is the
-- program-wide rank. With the loan's bank, maturity and next unpaid due date (either stream, on or
-- after $as_of, R-SCHED / R-DPD).
-- Reads engine-registered relations pw_snapshot (program-wide) and pw_due_status.
-- Params: $as_of, $loans_to_breach, $scope_bank, $scope_guarantor, $scope_appraiser.
with

top_loans as (
    select loan_id, bank, guarantor, appraiser, outstanding, matures_on
    from pw_snapshot
    where active and dpd = 0
    order by outstanding desc, loan_id
    limit coalesce($loans_to_breach::integer, 0)
),

ranked as (
    select *, row_number() over (order by outstanding desc, loan_id) as breach_rank
    from top_loans
),

next_dues as (
    select due_status.loan_id, min(due_status.due_on) as next_due_on
    from pw_due_status as due_status
    semi join top_loans using (loan_id)
    where due_status.due_on >= $as_of::date
        and (due_status.settled_on is null or due_status.settled_on > $as_of::date)
    group by due_status.loan_id
),

final as (
    select
        ranked.breach_rank,
        ranked.loan_id,
        ranked.bank,
        ranked.outstanding,
        ranked.matures_on,
        next_dues.next_due_on
    from ranked
    left join next_dues using (loan_id)
    where ($scope_bank::varchar is null or ranked.bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or ranked.guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or ranked.appraiser = $scope_appraiser::varchar)
)

select * from final
order by breach_rank
