-- hhi: one row per dimension (bank, guarantor, appraiser, industry, ip_type) — concentration of
-- the program's active outstanding at $as_of (R-HHI; program-wide, R-SCOPE): each segment's share of
-- the dimension's total, hhi = Σ share², top_share = the largest share, segments = their number.
-- Loans without a value for the dimension (null or empty: a direct pledge has no guarantor, a loan
-- with no collateral item has no ip_type) are left out; hhi and top_share are null when none is left.
-- ip_type: a loan's outstanding is split over its collateral items by the R-COVER weights (each item's
-- appraised_value, or 1 each when any item lacks one; 1 each too when the values sum to 0), to the fen
-- half-up. Exact: amounts in fen (HUGEINT); hhi = Σ s² / T² and top_share = max s / T as DECIMAL(38,18)
-- rounded half-up by integer long division, 6 digits a step (DuckDB's DECIMAL division returns DOUBLE).
-- Reads engine-registered relation pw_snapshot (dpd/snapshot.sql), tables loans and collateral.
with

dimensions as (
    select * from (values
        (1, 'bank'), (2, 'guarantor'), (3, 'appraiser'), (4, 'industry'), (5, 'ip_type')
    ) as d(dimension_order, dimension)
),

snapshot as (
    select snap.loan_id, snap.bank, snap.guarantor, snap.appraiser, loans.industry,
        (snap.outstanding * 100)::bigint as fen
    from pw_snapshot as snap
    inner join main.loans as loans using (loan_id)
    where snap.active
),

-- the collateral of active loans only (about a quarter of the book): only they carry a weight below
items as (
    select collateral.loan_id, collateral.ip_type, collateral.appraised_value, snapshot.fen
    from main.collateral as collateral
    inner join snapshot using (loan_id)
),

-- per loan (a group by, cheaper than windows): equal weights when any item lacks a value
loan_weights as (
    select
        loan_id,
        bool_or(appraised_value is null) or coalesce(sum(appraised_value), 0) <= 0 as equal_weights,
        count(*)::hugeint as item_count,
        (coalesce(sum(appraised_value), 0) * 100)::hugeint as value_total
    from items
    group by loan_id
),

ip_split as (
    select
        items.ip_type,
        case
            when weights.equal_weights then (items.fen * 2 + weights.item_count) // (2 * weights.item_count)
            else (items.fen * (items.appraised_value * 100)::hugeint * 2 + weights.value_total)
                // (2 * weights.value_total)
        end as fen
    from items
    inner join loan_weights as weights using (loan_id)
),

amounts as (
    select 'bank' as dimension, bank as segment, fen from snapshot
    union all
    select 'guarantor', guarantor, fen from snapshot
    union all
    select 'appraiser', appraiser, fen from snapshot
    union all
    select 'industry', industry, fen from snapshot
    union all
    select 'ip_type', ip_type, fen from ip_split
),

segments as (
    select dimension, segment, sum(fen)::hugeint as fen
    from amounts
    where segment is not null and segment <> ''
    group by dimension, segment
),

totals as (
    select
        dimension,
        count(*) as segments,
        sum(fen)::hugeint as total,
        sum(fen * fen)::hugeint as squares,
        max(fen)::hugeint as largest
    from segments
    group by dimension
    having sum(fen) > 0
),

-- q = squares / total², 18 decimals, half-up: the integer part, then three steps of 6 digits
step1 as (
    select *, total * total as denominator,
        squares // (total * total) as q0, squares % (total * total) as r0
    from totals
),

step2 as (
    select *, (r0 * 1000000) // denominator as q1, (r0 * 1000000) % denominator as r1
    from step1
),

step3 as (
    select *, (r1 * 1000000) // denominator as q2, (r1 * 1000000) % denominator as r2
    from step2
),

step4 as (
    select *, (r2 * 1000000 * 2 + denominator) // (2 * denominator) as q3
    from step3
),

ratios as (
    select
        dimension,
        segments,
        ((((q0 * 1000000 + q1) * 1000000 + q2) * 1000000 + q3)::decimal(38, 0)
            * 0.000000000000000001::decimal(38, 18))::decimal(38, 18) as hhi,
        (((largest * 2000000000000000000::hugeint + total) // (2 * total))::decimal(38, 0)
            * 0.000000000000000001::decimal(38, 18))::decimal(38, 18) as top_share
    from step4
),

final as (
    select
        dimensions.dimension,
        ratios.hhi,
        ratios.top_share,
        coalesce(ratios.segments, 0)::integer as segments
    from dimensions
    left join ratios using (dimension)
    order by dimensions.dimension_order
)

select * from final
