-- day_events: one row per stored alert event (R-NOTIFY) evaluated on $day — what the run prints for
-- a day it had evaluated before. Params: $day.
with

final as (
    select kind, key, loan_id, bank, guarantor, appraiser, event_on
    from main.alert_events
    where event_on = $day::date
)

select * from final
