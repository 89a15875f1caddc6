-- state rows: one row per probe of pw_state (dpd/loan_state.sql: R-OUT, R-DPD at the end of day
-- `at`), in loan and day order.
with

final as (
    select *
    from pw_state
)

select * from final
order by loan_id, "at"
