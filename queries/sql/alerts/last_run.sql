-- last_run: one row — the last day any alert run evaluated (null before the first run; R-NOTIFY
-- evaluates each day after it in order) and the next run id.
with

final as (
    select max(evaluated_to) as evaluated_to, coalesce(max(run_id), 0) + 1 as next_run_id
    from main.alert_runs
)

select * from final
