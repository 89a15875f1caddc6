-- Compliance C11: one row per loan disbursed <= $as_of that breaks it — an indirect pledge names a guarantor; a direct pledge names none (blank = none).
-- item = the guarantor named.
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

final as (
    select loan_id, 'C11' as rule, guarantor_named::varchar as item, null::decimal(24,8) as actual_value,
        null::decimal(24,8) as limit_value, null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(pledge_mode, guarantor))::varchar as detail,
    from compliance_terms_base
    where (pledge_mode = 'indirect' and guarantor_named is null)
       or (pledge_mode = 'direct' and guarantor_named is not null)
)

select * from final
order by loan_id
