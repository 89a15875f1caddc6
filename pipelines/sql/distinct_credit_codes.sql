-- One row per distinct credit code of the staged loans sheet that fails the vectorised GB 32100-2015
-- pre-check (pw_uscc_ok): these, and only these, are handed to python-stdnum, whose verdict decides
-- the reject (check_credit_codes.sql). Codes are in the compact form of stdnum's uscc.compact.
with source as (
    select credit_code from staged where credit_code is not null
),

final as (
    select distinct credit_code
    from source
    where not pw_uscc_ok(credit_code)
)

select * from final
