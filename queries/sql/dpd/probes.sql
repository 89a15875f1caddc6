-- probes: one row per (loan_id, at) asked about (pw_probes_input, registered by queries/dpd.py),
-- typed for dpd/loan_state.sql (R-OUT, R-DPD at given days).
with

final as (
    select loan_id::varchar as loan_id, "at"::date as "at"
    from pw_probes_input
)

select * from final
