-- Compliance exceptions (C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11): one row per broken rule of a
-- loan disbursed <= as_of — the rows of every rule file (the relation compliance_broken, registered
-- by queries/compliance.py: loan_id, rule, item, actual_value, limit_value, actual_on, limit_on,
-- detail) with the rule's i18n key and the loan's credit code, enterprise, bank and disbursement
-- day; sorted by loan_id, rule (C1 … C11) and item. R-SCOPE: only the loans in the optional scope
-- ($scope_bank / $scope_guarantor / $scope_appraiser, null = no filter); the checks themselves
-- (C7's enterprise-year total, C9's ban windows) run over every loan, as the rules say.
with

broken as (
    select * from compliance_broken
),

loans as (
    select loan_id, credit_code, enterprise_name, bank, disbursed_on
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select
        b.loan_id,
        b.rule,
        'compliance.' || b.rule as rule_key,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        l.disbursed_on,
        b.item,
        b.actual_value,
        b.limit_value,
        b.actual_on,
        b.limit_on,
        b.detail,
    from broken as b
    join loans as l using (loan_id)
)

select * from final
order by loan_id, cast(substr(rule, 2) as integer), coalesce(item, '')
