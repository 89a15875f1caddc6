-- One row per distinct credit code of the loans sheet being loaded, in the compact form of
-- python-stdnum's uscc.compact (no spaces or dashes, upper case), the same expression as
-- stage_loans.sql, so that check_credit_codes.sql can join the verdicts on it.
with source as (
    select credit_code from raw_named where credit_code is not null
),

final as (
    select distinct upper(replace(replace(credit_code, ' ', ''), '-', '')) as credit_code
    from source
)

select * from final
