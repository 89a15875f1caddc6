-- finish_run: an alert run's end time and delivery counts (R-NOTIFY), after its delivery.
update main.alert_runs
set finished_at = $finished_at::timestamp, deliveries = $deliveries::integer, failures = $failures::integer
where run_id = $run_id::integer
