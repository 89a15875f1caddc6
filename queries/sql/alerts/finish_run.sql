-- finish_run: an alert run's end time and delivery counts (R-NOTIFY), after its delivery.
-- Params: $run_id, $finished_at, $deliveries, $failures.
update main.alert_runs
set finished_at = f.finished_at, deliveries = f.deliveries, failures = f.failures
from (
    with

    final as (
        select $run_id::integer as run_id, $finished_at::timestamp as finished_at,
            $deliveries::integer as deliveries, $failures::integer as failures
    )

    select * from final
) as f
where alert_runs.run_id = f.run_id
