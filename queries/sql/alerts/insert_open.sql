-- insert_open: the conditions holding on the run's last evaluated day $day with their first day
-- (relation alert_open_new: kind, item, since), so the next run keeps their keys (R-NOTIFY).
insert into main.alert_open (kind, item, since, last_seen)
select kind, item, since, $day::date from alert_open_new
