-- acknowledge: record that $username acknowledged the event ($kind, $key) at $acked_at on the inbox
-- page (R-NOTIFY); an unknown event records nothing, acknowledging twice keeps the first time.
insert into main.alert_acks (kind, key, username, acked_at)
with

final as (
    select $kind::varchar as kind, $key::varchar as key, $username::varchar as username,
        $acked_at::timestamp as acked_at
    where exists (select 1 from main.alert_events where kind = $kind::varchar and key = $key::varchar)
)

select * from final
on conflict do nothing
