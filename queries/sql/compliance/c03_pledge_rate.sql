-- Compliance C3: one row per loan disbursed <= $as_of that breaks it — principal <= max_pledge_rate x pledge value (四(二), 六(二)4): exactly 60 % passes.
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

final as (
    select loan_id, 'C3' as rule, null::varchar as item, principal::decimal(24,8) as actual_value,
        (pledge_value * $max_pledge_rate::decimal(9,4))::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(principal, appraised_value, fair_value, pledge_value,
                            max_pledge_rate := $max_pledge_rate::decimal(9,4),
                            pledge_rate := round(principal / nullif(pledge_value, 0), 6)))::varchar as detail,
    from compliance_terms_base
    where principal > pledge_value * $max_pledge_rate::decimal(9,4)
)

select * from final
order by loan_id
