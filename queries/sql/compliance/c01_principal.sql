-- Compliance C1: one row per loan disbursed <= $as_of that breaks it — principal <= max_single_loan (一).
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

final as (
    select loan_id, 'C1' as rule, null::varchar as item, principal::decimal(24,8) as actual_value,
        $max_single_loan::decimal(24,8) as limit_value, null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(principal, max_single_loan := $max_single_loan::decimal(18,2)))::varchar as detail,
    from compliance_terms_base
    where principal > $max_single_loan::decimal(18,2)
)

select * from final
order by loan_id
