-- days_to_breach: one row — for the base and the stress case, the days from $as_of to the first
-- day whose projected ratio is strictly above npl_halt_threshold (R-PROJ): 0 when the actual ratio
-- at $as_of already is (days_ahead 0 holds the actual figures), null when no day within 90 is.
-- Reads the relation pw_outlook_projection (outlook/projection.sql) registered by queries/outlook.py.
with

projection as (
    select * from pw_outlook_projection
),

final as (
    select
        min(days_ahead) filter (where base_breach)::integer as base,
        min(days_ahead) filter (where stress_breach)::integer as stress
    from projection
)

select * from final
