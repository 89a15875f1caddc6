-- insert_open: the conditions holding on the run's last evaluated day $day with the first day of
-- their stay (relation alert_open_new: kind, item, since), so the next run keeps their keys
-- (R-NOTIFY); a row of a condition that ended keeps an older last_seen and is never read again.
-- Params: $day.
insert or replace into main.alert_open (kind, item, since, last_seen)
with

final as (
    select kind, item, since, $day::date as last_seen from alert_open_new
)

select * from final
