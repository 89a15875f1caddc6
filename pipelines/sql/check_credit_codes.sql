-- One row per staged loan whose unified social credit code fails GB 32100-2015 (format or check
-- digit) and is not on the profile's allow-list (LEDGER.md loans.credit_code). credit_codes holds
-- python-stdnum's verdict on each distinct code that failed the SQL pre-check (ingest._credit_codes).
with loans_in as (
    select _row, credit_code from staged where credit_code is not null
),

failed as (
    select code from credit_codes where not ok
),

final as (
    select
        loans_in._row,
        'credit_code' as column_name,
        loans_in.credit_code as raw_value,
        'bad_credit_code' as code,
        null::varchar as detail
    from loans_in
    semi join failed on failed.code = loans_in.credit_code
)

select * from final
