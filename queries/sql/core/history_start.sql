-- history_start: one row — the first day of the program's history: the first disbursement or
-- the first recorded decision, whichever is earlier; null in an empty store. The daily series
-- behind R-HALT starts here, since the halt status of a day depends on every earlier day.
with

dated as (
    select min(disbursed_on) as on_day from main.loans
    union all select min(decided_on) from main.decisions
),

final as (
    select min(on_day) as history_start from dated
)

select * from final
