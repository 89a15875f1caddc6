-- insert_run: one alert run (R-NOTIFY): the days it evaluated and its counts.
insert into main.alert_runs (run_id, as_of, evaluated_from, evaluated_to, started_at, finished_at, events,
                             deliveries, failures)
with

final as (
    select $run_id::integer as run_id, $as_of::date as as_of, $evaluated_from::date as evaluated_from,
        $evaluated_to::date as evaluated_to, $started_at::timestamp as started_at,
        $finished_at::timestamp as finished_at, $events::integer as events, $deliveries::integer as deliveries,
        $failures::integer as failures
)

select * from final
