-- open_conditions: one row per condition that held on the day $day (the previous run's last evaluated
-- day) with the first day of its stay (R-NOTIFY keys of alert60, compliance, ip_risk, stale_bank).
-- Params: $day.
with

final as (
    select kind, item, since from main.alert_open where last_seen = $day::date
)

select * from final
