-- program series: one row per day of pw_series (ratio/npl_series.sql, program-wide R-NPL totals),
-- as the series of an unscoped reader.
with

final as (
    select *
    from pw_series
)

select * from final
