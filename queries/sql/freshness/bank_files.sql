-- bank_files: one row per bank with active loans at $as_of (freshness/bank_freshness.sql, registered
-- as fresh_banks) — the bureau's freshness table (R-FRESH, 九(二) monthly filing): the last file that
-- brought rows of its loans (file, sheet, day), the bank's rows in it and the file's rejected rows,
-- and the months without any record of its loans (missing_months, 'YYYY-MM; …'): each month from
-- its first disbursement to the month before as_of in which a loan of it was running by contract
-- (disbursed by the month's end, maturing in or after it) yet no disbursement, repayment or event
-- of its loans is dated in it.
-- Reads fresh_banks, fresh_records, fresh_batches (queries/freshness.py) and main.loans.
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

last_batch as (
    select bank, arg_max(batch_id, (finished_at, batch_id)) as batch_id
    from fresh_batches
    group by bank
),

last_file as (
    select b.bank, b.file_name, b.sheet, b.received_on, b.rows, b.rows_rejected
    from fresh_batches as b
    join last_batch using (bank, batch_id)
),

loans as (
    select bank, disbursed_on, matures_on
    from main.loans
    where bank in (select bank from fresh_banks)
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

months as (
    select distinct loans.bank, m.month::date as month
    from loans,
        unnest(generate_series(date_trunc('month', loans.disbursed_on),
                               date_trunc('month', least(loans.matures_on, $as_of::date)),
                               interval 1 month)) as m(month)
    where m.month < date_trunc('month', $as_of::date)
),

recorded as (
    select distinct bank, date_trunc('month', record_on)::date as month from fresh_records
),

missing as (
    select months.bank, count(*) as missing_count,
        string_agg(strftime(months.month, '%Y-%m'), '; ' order by months.month) as missing_months
    from months
    anti join recorded using (bank, month)
    group by months.bank
),

final as (
    select
        f.bank,
        f.last_record_on,
        f.last_received,
        f.days_since,
        f.stale,
        lf.file_name as last_file,
        lf.sheet as last_sheet,
        lf.rows as last_file_rows,
        lf.rows_rejected as last_file_rejects,
        coalesce(m.missing_count, 0) as missing_count,
        m.missing_months,
    from fresh_banks as f
    left join last_file as lf using (bank)
    left join missing as m using (bank)
)

select * from final
order by bank
