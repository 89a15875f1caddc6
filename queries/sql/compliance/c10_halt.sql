-- Compliance C10: one row per loan disbursed <= $as_of while the program was halted (R-HALT):
-- the status at the end of the day before disbursement is 'halted'. A loan disbursed on the
-- breach day itself passes (the day before was not halted); the next day fails.
-- Reads the relation halt_status (day, status, npl_ratio), registered by queries/compliance.py
-- from halt.status_on for each disbursed_on - 1 (a fixed view name, not user input).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

loans as (
    select loan_id, disbursed_on from loans where disbursed_on <= $as_of
),

halt_status as (
    select day::date as day, status::varchar as status, npl_ratio
    from halt_status
),

final as (
    select l.loan_id, 'C10' as rule, h.status as item, null::decimal(24,8) as actual_value, null::decimal(24,8) as limit_value,
        h.day as actual_on, null::date as limit_on,
        to_json(struct_pack(status_day := h.day, status := h.status,
                            npl_ratio := h.npl_ratio::varchar))::varchar as detail,
    from loans as l
    join halt_status as h on h.day = l.disbursed_on - 1
    where h.status = 'halted'
)

select * from final
order by loan_id
