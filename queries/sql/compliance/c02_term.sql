-- Compliance C2: one row per loan disbursed <= $as_of that breaks it — matures_on <= disbursed_on + max_term_years years (一; same calendar day,
-- 29 Feb -> 28 Feb): maturing exactly a year later passes, one day later fails.
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

final as (
    select loan_id, 'C2' as rule, null::varchar as item, null::decimal(24,8) as actual_value,
        null::decimal(24,8) as limit_value,
        matures_on as actual_on, latest_maturity as limit_on,
        to_json(struct_pack(disbursed_on, matures_on, latest_maturity,
                            max_term_years := $max_term_years::integer))::varchar as detail,
    from compliance_terms_base
    where matures_on > latest_maturity
)

select * from final
order by loan_id
