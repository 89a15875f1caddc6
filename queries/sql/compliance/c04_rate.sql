-- Compliance C4: one row per loan disbursed <= $as_of that breaks it — annual_rate <= 1-year LPR in force on disbursed_on + max_rate_spread_over_lpr (四(三)):
-- 3.50 % with LPR 3.00 % passes; a loan disbursed before any LPR on record cannot pass.
-- Reads compliance_terms_base (terms_base.sql: the loan with its pledge value, LPR and term limit).
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

final as (
    select loan_id, 'C4' as rule, null::varchar as item, annual_rate::decimal(24,8) as actual_value,
        (lpr_rate + $max_rate_spread_over_lpr::decimal(12,8))::decimal(24,8) as limit_value,
        disbursed_on as actual_on, lpr_effective_on as limit_on,
        to_json(struct_pack(annual_rate, lpr_rate, lpr_effective_on,
                            spread := $max_rate_spread_over_lpr::decimal(12,8),
                            spread_over_lpr := annual_rate - lpr_rate))::varchar as detail,
    from compliance_terms_base
    where lpr_rate is null
       or annual_rate > lpr_rate + $max_rate_spread_over_lpr::decimal(12,8)
)

select * from final
order by loan_id
