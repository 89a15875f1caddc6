-- dates: one row per day asked about (pw_dates_input, registered by queries/halt.py), typed as
-- DATE for halt/status_on.sql (R-HALT).
with

final as (
    select day::date as day
    from pw_dates_input
)

select * from final
