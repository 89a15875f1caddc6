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
        (snap.outstanding * 100)::hugeint as fen
    from pw_snapshot as snap
    inner join main.loans as loans using (loan_id)
    where snap.active
),

items as (
    select
        collateral.loan_id,
        collateral.ip_type,
        (coalesce(collateral.appraised_value, 0) * 100)::hugeint as value_fen,
        bool_or(collateral.appraised_value is null) over (partition by collateral.loan_id) as lacks_value,
        sum(coalesce(collateral.appraised_value, 0)) over (partition by collateral.loan_id) as value_total
    from main.collateral as collateral
    semi join snapshot using (loan_id)
),

weighted as (
    select
        loan_id,
        ip_type,
        case when lacks_value or value_total <= 0 then 1::hugeint else value_fen end as weight
    from items
),

ip_split as (
    select
        weighted.ip_type,
        (snapshot.fen * weighted.weight * 2 + sum(weighted.weight) over (partition by weighted.loan_id))
            // (2 * sum(weighted.weight) over (partition by weighted.loan_id)) as fen
    from weighted
    inner join snapshot using (loan_id)
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
