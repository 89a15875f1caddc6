-- status words: one row — the program status (normal / warning / halted, R-HALT) of a day from
-- its halt flag and warning band, through pw_status (core/macros.sql) as for every day of the series.
with

final as (
    select pw_status($halted, $warning_band) as status
)

select * from final
