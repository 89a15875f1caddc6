-- ageing: one row per ageing bucket (current, 1-29, 30-59, 60-89, 90+ days past due, R-DPD) —
-- number and outstanding balance of active loans in it at $as_of, and the share of the active
-- balance (pw_ratio of macros.sql: exact DECIMAL(38,18), half-up; null with no active loan). Empty buckets show zeros.
-- Reads engine-registered relation pw_snapshot (snapshot.sql, already scoped).
with

buckets as (
    select * from (values
        (0, 'current', 0, 0),
        (1, '1-29', 1, 29),
        (2, '30-59', 30, 59),
        (3, '60-89', 60, 89),
        (4, '90+', 90, null)
    ) as t(bucket_order, bucket, min_dpd, max_dpd)
),

active as (
    select * from pw_snapshot where active
),

per_bucket as (
    select bucket, count(*) as loans, sum(outstanding)::decimal(38, 2) as balance
    from active
    group by bucket
),

total as (
    select coalesce(sum(outstanding), 0)::decimal(38, 2) as active_balance from active
),

final as (
    select
        buckets.bucket,
        buckets.min_dpd,
        buckets.max_dpd,
        coalesce(per_bucket.loans, 0) as loans,
        coalesce(per_bucket.balance, 0)::decimal(38, 2) as balance,
        pw_ratio(coalesce(per_bucket.balance, 0), total.active_balance) as balance_share
    from buckets
    cross join total
    left join per_bucket using (bucket)
    order by buckets.bucket_order
)

select * from final
