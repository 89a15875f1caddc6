-- first_late: one row per loan that was ever late — the first day on which it had DPD >= 1 (R-DPD):
-- the earliest due_on + 1 over its dues still unpaid at the end of due_on + 1 (settled_on null or
-- later). A loan had DPD >= 1 on some day before t exactly when first_late_on < t (R-PROJ's stress
-- flag). Date-independent, so it is stored with the other intermediates (queries/derived.py).
-- Reads engine-registered relation pw_due_status (dpd/due_status.sql).
with

final as (
    select loan_id, min(due_on + 1) as first_late_on
    from pw_due_status
    where settled_on is null or settled_on > due_on + 1
    group by loan_id
)

select * from final
