-- One row: the counts of the sheet being loaded (rows read, written, left unchanged, rejected).
with read_rows as (
    select count(*) as n from staged
),

good as (
    select count(*) as n from good_rows
),

same as (
    select count(*) as n from merge_matched where _action = 'same'
),

rejected as (
    select count(distinct _row) as n from problems
),

final as (
    select
        read_rows.n as rows_read,
        good.n - same.n as rows_loaded,
        same.n as rows_unchanged,
        rejected.n as rows_rejected
    from read_rows, good, same, rejected
)

select * from final
