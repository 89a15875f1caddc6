-- One row: the counts of the sheet being loaded (rows read, written, left unchanged, rejected).
-- A row is good exactly when it has no problem, so good = read − rejected (no extra pass over the
-- staged rows).
with read_rows as (
    select count(*) as n from staged
),

rejected as (
    select count(distinct _row) as n from problems
),

same as (
    select count(*) as n from merge_matched where _action = 'same'
),

final as (
    select
        read_rows.n as rows_read,
        read_rows.n - rejected.n - same.n as rows_loaded,
        same.n as rows_unchanged,
        rejected.n as rows_rejected
    from read_rows, rejected, same
)

select * from final
