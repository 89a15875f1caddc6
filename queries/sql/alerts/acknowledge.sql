-- acknowledge: record that $username acknowledged the event ($kind, $key) at $acked_at on the inbox
-- page (R-NOTIFY); acknowledging twice keeps the first time.
insert into main.alert_acks (kind, key, username, acked_at)
select $kind::varchar, $key::varchar, $username::varchar, $acked_at::timestamp
where exists (select 1 from main.alert_events where kind = $kind::varchar and key = $key::varchar)
on conflict do nothing
