-- Compliance input for C1, C2, C3, C4, C5, C6 and C11: one row per loan disbursed <= $as_of with the
-- figures its own terms are checked against (registered as the relation compliance_terms_base, read by
-- c01_principal.sql … c06_appraisal_fee.sql and c11_guarantor.sql; queries/compliance.py).
--   pledge_value = least(appraised, fair) when fair is given (C3, 六(二)4);
--   lpr_rate = the 1-year LPR in force on disbursed_on (latest lpr.effective_on <= disbursed_on;
--     null before any LPR on record, which fails C4);
--   latest_maturity = disbursed_on + max_term_years years (same calendar day; 29 Feb -> 28 Feb, C2);
--   guarantor_named = the guarantor, blank counted as none (C11).
-- R-SCOPE: only loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser); these
-- checks look at a loan's own terms only.
-- Columns every compliance file returns: loan_id, rule, rule_key, credit_code, enterprise_name,
-- bank, disbursed_on, item (the offending thing), actual_value / limit_value (DECIMAL), actual_on /
-- limit_on (dates), detail (JSON text of every value used). All comparisons in DECIMAL.
with

loans as (
    select *
    from loans
    where disbursed_on <= $as_of
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

lpr as (
    select effective_on, rate
    from lpr
),

final as (
    select
        l.*,
        least(l.appraised_value, coalesce(l.fair_value, l.appraised_value)) as pledge_value,
        r.rate as lpr_rate,
        r.effective_on as lpr_effective_on,
        (l.disbursed_on + to_years($max_term_years::integer))::date as latest_maturity,
        nullif(trim(coalesce(l.guarantor, '')), '') as guarantor_named,
    from loans as l
    asof left join lpr as r on l.disbursed_on >= r.effective_on
)

select * from final
