-- status with no history: one row per requested day (pw_dates) in an empty store — normal, no
-- ratio, not halted (R-HALT: nothing can have breached before the first loan).
with

final as (
    select day, 'normal' as status, null::decimal(38, 18) as npl_ratio,
        false as halted, null::date as halted_since
    from pw_dates
)

select * from final
order by day
