-- Compliance C5: one row per loan disbursed <= $as_of that breaks it — guarantee_fee <= max_guarantee_fee_rate x principal (四(四); no fee recorded:
-- nothing to check).
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
with

final as (
    select loan_id, 'C5' as rule, 'compliance.C5' as rule_key, credit_code, enterprise_name, bank, disbursed_on,
        null::varchar as item, guarantee_fee::decimal(24,8) as actual_value,
        (principal * $max_guarantee_fee_rate::decimal(9,4))::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(guarantee_fee, principal,
                            max_guarantee_fee_rate := $max_guarantee_fee_rate::decimal(9,4)))::varchar as detail,
    from compliance_terms_base
    where guarantee_fee > principal * $max_guarantee_fee_rate::decimal(9,4)
)

select * from final
order by loan_id
