-- filing_pack: one row per loan of bank $bank disbursed in the month — the monthly filing summary
-- (portfolio/filing_summary.sql, 九(二)) narrowed to one bank's own loans, the XLSX the alert run
-- attaches to that bank's first message of a month (R-NOTIFY).
-- Reads the relation filing_rows (portfolio.filing_summary of the month). Params: $bank.
with

final as (
    select * from filing_rows where bank = $bank::varchar
)

select * from final
order by disbursed_on, loan_id
