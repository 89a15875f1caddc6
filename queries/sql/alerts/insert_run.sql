-- insert_run: one alert run (R-NOTIFY): the days it evaluated and its counts.
insert into main.alert_runs (run_id, as_of, evaluated_from, evaluated_to, started_at, finished_at, events,
                             deliveries, failures)
values ($run_id::integer, $as_of::date, $evaluated_from::date, $evaluated_to::date, $started_at::timestamp,
        $finished_at::timestamp, $events::integer, $deliveries::integer, $failures::integer)
