-- insert_deliveries: every delivery attempt of the run (relation alert_attempts: run_id, kind, key,
-- username, channel, attempted_at, outcome sent / failed, error), R-NOTIFY.
insert into main.alert_deliveries (run_id, kind, key, username, channel, attempted_at, outcome, error)
with

final as (
    select run_id, kind, key, username, channel, attempted_at, outcome, error from alert_attempts
)

select * from final
