-- filing_summary: one row per loan disbursed from $month_start to $month_end inclusive — the
-- monthly project filing (项目备案汇总) the bank sends the county bureau in the following month
-- (seed 004 九(二)): enterprise and credit code (营业执照), bank and loan (授信合同及放款凭证),
-- appraiser and appraised value (评估报告), guarantor and guarantee fee (担保协议书及担保费发票),
-- and the pledged IP (知识产权质押合同). R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter).
-- Params: $month_start, $month_end, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select *
    from main.loans
    where disbursed_on between $month_start::date and $month_end::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

pledged as (
    select loan_id, count(*) as ip_count, string_agg(ip_number, '; ' order by ip_number) as ip_numbers
    from main.collateral
    where loan_id in (select loan_id from loans)
    group by loan_id
),

final as (
    select
        loans.enterprise_name,
        loans.credit_code,
        loans.bank,
        loans.loan_id,
        loans.principal,
        loans.annual_rate,
        loans.disbursed_on,
        loans.matures_on,
        loans.pledge_mode,
        loans.appraiser,
        loans.appraised_value,
        loans.fair_value,
        loans.appraisal_fee,
        loans.guarantor,
        loans.guarantee_fee,
        coalesce(pledged.ip_count, 0) as ip_count,
        pledged.ip_numbers
    from loans
    left join pledged using (loan_id)
)

select * from final
order by disbursed_on, bank, loan_id
