-- Compliance C5 and C6: one row per (loan disbursed <= $as_of, fee rule it breaks) — the guarantee
-- fee (C5) and the appraisal fee (C6) each at most max_*_fee_rate x principal (四(四)); a loan with
-- no fee recorded has nothing to check. One file for both: the two rules are the same check on two
-- columns. 1 % exactly passes.
-- Reads compliance_terms_base (terms_base.sql: the loan as loaded, with its pledge value and LPR).
-- Columns (every rule file): loan_id, rule, item, actual_value, limit_value, actual_on, limit_on,
-- detail; compliance/exceptions.sql adds the rule's i18n key and the loan's names.
with

fees as (
    select loan_id, principal, 'C5' as rule, 'guarantee_fee' as fee_name, guarantee_fee as fee,
        $max_guarantee_fee_rate::decimal(9,4) as max_rate,
    from compliance_terms_base
    union all
    select loan_id, principal, 'C6', 'appraisal_fee', appraisal_fee, $max_appraisal_fee_rate::decimal(9,4),
    from compliance_terms_base
),

final as (
    select loan_id, rule, null::varchar as item, fee::decimal(24,8) as actual_value,
        (principal * max_rate)::decimal(24,8) as limit_value, null::date as actual_on, null::date as limit_on,
        -- the detail names the fee as the ledger does (guarantee_fee / appraisal_fee)
        case rule
            when 'C5' then to_json(struct_pack(guarantee_fee := fee, principal, max_guarantee_fee_rate := max_rate))
            else to_json(struct_pack(appraisal_fee := fee, principal, max_appraisal_fee_rate := max_rate))
        end::varchar as detail,
    from fees
    where fee > principal * max_rate
)

select * from final
order by loan_id, rule
