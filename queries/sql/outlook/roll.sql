-- roll: one row per (from_bucket, to_bucket) with loans — the roll-rate matrix between the month
-- ends $m0 < $m1 (R-ROLL). Each loan active at $m0 (in the optional scope) moves from its bucket
-- at $m0 (current = DPD 0, 1-29, 30-59, 60-89, 90+) to its state at $m1: its bucket when active,
-- written_off when closed with any compensation or write-off dated <= $m1, repaid when closed
-- without; a loan closed by renewal (a loan disbursed by $m1 names it in renewed_from) takes its
-- renewal's state, following renewals of renewals. Loans disbursed in ($m0, $m1] form the row new.
-- balance = outstanding at $m0 (at $m1 for new). worse = the state is worse than the bucket, in the
-- order repaid, current, 1-29, 30-59, 60-89, 90+, written_off; roll_rate = the share of the bucket's
-- $m0 balance that moved to a worse state (pw_ratio: exact DECIMAL(38,18); null for new or an empty
-- balance).
-- Reads relations pw_roll_m0 (scoped snapshot at $m0) and pw_roll_m1 (program-wide snapshot at $m1),
-- registered by queries/outlook.py (dpd/snapshot.sql); tables loans and events.
-- Params: $m0, $m1, $scope_bank, $scope_guarantor, $scope_appraiser.
with recursive

ranks as (
    select * from (values
        ('new', -1), ('repaid', 0), ('current', 1), ('1-29', 2), ('30-59', 3), ('60-89', 4), ('90+', 5),
        ('written_off', 6)
    ) as r(bucket, rank)
),

written_off as (
    select distinct loan_id
    from main.events
    where kind in ('compensation', 'write_off') and event_on <= $m1::date
),

renewals as (
    select renewed_from as loan_id, min(loan_id) as renewal
    from main.loans
    where renewed_from is not null and disbursed_on <= $m1::date
    group by renewed_from
),

at_m1 as (
    select
        m1.loan_id,
        m1.outstanding,
        m1.active,
        case
            when m1.active then m1.bucket
            when written_off.loan_id is not null then 'written_off'
            else 'repaid'
        end as own_state,
        case when not m1.active then renewals.renewal end as renewal
    from pw_roll_m1 as m1
    left join written_off using (loan_id)
    left join renewals using (loan_id)
),

-- follow closed-by-renewal loans to the last renewal of the chain (depth guard 1000 for cycles)
followed (loan_id, current_id, depth) as (
    select loan_id, renewal, 1
    from at_m1
    where renewal is not null
    union all
    select followed.loan_id, at_m1.renewal, followed.depth + 1
    from followed
    inner join at_m1 on at_m1.loan_id = followed.current_id
    where at_m1.renewal is not null and followed.depth < 1000
),

resolved as (
    select followed.loan_id, arg_max(at_m1.own_state, followed.depth) as state
    from followed
    inner join at_m1 on at_m1.loan_id = followed.current_id
    group by followed.loan_id
),

states as (
    select at_m1.loan_id, at_m1.outstanding, coalesce(resolved.state, at_m1.own_state) as state
    from at_m1
    left join resolved using (loan_id)
),

moves as (
    select m0.bucket as from_bucket, states.state as to_bucket, m0.outstanding as balance
    from pw_roll_m0 as m0
    inner join states using (loan_id)
    where m0.active
    union all
    select 'new', states.state, states.outstanding
    from main.loans as loans
    inner join states using (loan_id)
    where loans.disbursed_on > $m0::date and loans.disbursed_on <= $m1::date
        and ($scope_bank::varchar is null or loans.bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or loans.guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or loans.appraiser = $scope_appraiser::varchar)
),

cells as (
    select
        from_bucket,
        to_bucket,
        count(*) as loans,
        sum(balance)::decimal(38, 2) as balance
    from moves
    group by from_bucket, to_bucket
),

ranked as (
    select
        cells.*,
        from_rank.rank as from_rank,
        to_rank.rank as to_rank,
        cells.from_bucket <> 'new' and to_rank.rank > from_rank.rank as worse
    from cells
    inner join ranks as from_rank on from_rank.bucket = cells.from_bucket
    inner join ranks as to_rank on to_rank.bucket = cells.to_bucket
),

final as (
    select
        from_bucket,
        to_bucket,
        loans,
        balance,
        worse,
        case when from_bucket <> 'new' then
            pw_ratio(coalesce(sum(balance) filter (where worse) over (partition by from_bucket), 0),
                sum(balance) over (partition by from_bucket))
        end as roll_rate,
        from_rank,
        to_rank
    from ranked
)

select * from final
order by from_rank, to_rank
