-- One row per data row of a loans ledger (借据台账): typed values and _problems, the list of
-- this row's bad cells (LEDGER.md "Bad input"). Feeds C1–C11 and every R-* rule.
-- The C11 guarantor/pledge-mode pairing is NOT checked here: the engine reports it.
with source as (
    select * from raw_named
),

modes as (
    select spelling, value from enum_alias where domain = 'pledge_mode'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.enterprise_name,
        -- the compact form of python-stdnum's uscc.compact: no spaces or dashes, upper case; the
        -- check digit is verified by check_credit_codes.sql on the distinct codes
        upper(replace(replace(source.credit_code, ' ', ''), '-', '')) as credit_code,
        source.bank,
        source.pledge_mode as pledge_mode_raw,
        modes.value as pledge_mode,
        source.guarantor,
        source.appraiser,
        source.principal as principal_raw,
        pw_money(source.principal, list_contains($wan, 'principal')) as principal,
        source.annual_rate as annual_rate_raw,
        pw_rate(source.annual_rate, list_contains($pct, 'annual_rate')) as annual_rate,
        source.disbursed_on as disbursed_on_raw,
        pw_date(source.disbursed_on) as disbursed_on,
        source.matures_on as matures_on_raw,
        pw_date(source.matures_on) as matures_on,
        source.appraised_value as appraised_value_raw,
        pw_money(source.appraised_value, list_contains($wan, 'appraised_value')) as appraised_value,
        source.fair_value as fair_value_raw,
        pw_money(source.fair_value, list_contains($wan, 'fair_value')) as fair_value,
        source.guarantee_fee as guarantee_fee_raw,
        pw_money(source.guarantee_fee, list_contains($wan, 'guarantee_fee')) as guarantee_fee,
        source.appraisal_fee as appraisal_fee_raw,
        pw_money(source.appraisal_fee, list_contains($wan, 'appraisal_fee')) as appraisal_fee,
        source.renewed_from,
        source.industry,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join modes on modes.spelling = pw_enum_key(source.pledge_mode)
),

final as (
    select
        _row,
        loan_id,
        enterprise_name,
        credit_code,
        bank,
        pledge_mode,
        guarantor,
        appraiser,
        principal,
        annual_rate,
        disbursed_on,
        matures_on,
        appraised_value,
        fair_value,
        guarantee_fee,
        appraisal_fee,
        renewed_from,
        industry,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('enterprise_name', enterprise_name, enterprise_name, 'missing', true),
            pw_check('credit_code', credit_code, credit_code, 'missing', true),
            pw_check('bank', bank, bank, 'missing', true),
            pw_check('pledge_mode', pledge_mode_raw, pledge_mode, 'bad_pledge_mode', true),
            pw_check('appraiser', appraiser, appraiser, 'missing', true),
            pw_check('principal', principal_raw, principal, pw_money_why(principal_raw, list_contains($wan, 'principal')), true),
            pw_problem(principal < 0, 'principal', principal_raw, 'negative'),
            pw_check('annual_rate', annual_rate_raw, annual_rate, 'bad_rate', true),
            pw_problem(annual_rate < 0 or annual_rate >= 1, 'annual_rate', annual_rate_raw, 'rate_range'),
            pw_check('disbursed_on', disbursed_on_raw, disbursed_on, pw_date_why(disbursed_on_raw), true),
            pw_check('matures_on', matures_on_raw, matures_on, pw_date_why(matures_on_raw), true),
            pw_problem(matures_on <= disbursed_on, 'matures_on', matures_on_raw, 'matures_before'),
            pw_check('appraised_value', appraised_value_raw, appraised_value, pw_money_why(appraised_value_raw, list_contains($wan, 'appraised_value')), true),
            pw_problem(appraised_value < 0, 'appraised_value', appraised_value_raw, 'negative'),
            pw_check('fair_value', fair_value_raw, fair_value, pw_money_why(fair_value_raw, list_contains($wan, 'fair_value')), false),
            pw_problem(fair_value < 0, 'fair_value', fair_value_raw, 'negative'),
            pw_check('guarantee_fee', guarantee_fee_raw, guarantee_fee, pw_money_why(guarantee_fee_raw, list_contains($wan, 'guarantee_fee')), false),
            pw_problem(guarantee_fee < 0, 'guarantee_fee', guarantee_fee_raw, 'negative'),
            pw_check('appraisal_fee', appraisal_fee_raw, appraisal_fee, pw_money_why(appraisal_fee_raw, list_contains($wan, 'appraisal_fee')), false),
            pw_problem(appraisal_fee < 0, 'appraisal_fee', appraisal_fee_raw, 'negative')
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
