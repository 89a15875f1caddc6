-- ip_watch: one row per (loan disbursed on or before $as_of within the scope, IP it pledges) — the
-- pledged IP's legal status and fee watch at the end of $as_of (R-IPSTAT).
--   status = the status of the IP's latest ip_status record dated <= as_of; several on one day: the
--     later in the order valid, fee_paid, restored, fee_overdue, invalidation_requested,
--     partially_invalidated, terminated, invalidated, expired, pledge_released, pledge_registered
--     stands (a release and a registration on one day is a re-pledge); 'valid' without a record;
--   fee_paid_until (patents only) = from the latest record <= as_of that gives one (one day: the
--     latest date given); fee_grace_until = fee_paid_until + 6 months (same day, clipped to month end);
--   fee_watch = fee_due_soon (0 <= fee_paid_until − as_of <= ip_fee_warning_days), fee_grace
--     (fee_paid_until < as_of <= fee_grace_until), lapsed (after it), else null;
--   next_fee_due = fee_paid_until, else (patents with filed_on) the first anniversary of filed_on
--     after as_of (calendar only: no watch state comes from filed_on);
--   expires_before_maturity = ip_expires_on < the loan's matures_on; watch = fee_watch, else
--     'expires_before_maturity' when so, else null;
--   lost = terminated / invalidated / expired, or pledge_released dated after the disbursement, or
--     lapsed, or ip_expires_on < as_of; at_risk = not lost and (fee_due_soon, fee_grace, fee_overdue,
--     invalidation_requested or partially_invalidated).
-- $active_only: only the rows of loans active at as_of (what the report, the totals and the page
-- show; each row depends on its own loan alone, so those rows are the same either way).
-- Reads engine-registered relation pw_snapshot (dpd/snapshot.sql, already scoped), collateral and
-- ip_status. Params: $as_of, $ip_fee_warning_days, $active_only.
with

snapshot as (
    select loan_id, enterprise_name, credit_code, bank, guarantor, appraiser, disbursed_on, matures_on,
        outstanding, active
    from pw_snapshot
    where active or not $active_only::boolean
),

items as (
    select loan_id, ip_type, ip_number, ip_expires_on, appraised_value, filed_on,
        ip_type in ('invention_patent', 'utility_model') as is_patent,
    from collateral
),

records as (
    select
        ip_number,
        status_on,
        status,
        fee_paid_until,
        list_position(['valid', 'fee_paid', 'restored', 'fee_overdue', 'invalidation_requested',
                       'partially_invalidated', 'terminated', 'invalidated', 'expired', 'pledge_released',
                       'pledge_registered'], status) as precedence,
    from ip_status
    where status_on <= $as_of::date
),

latest_status as (
    select
        ip_number,
        arg_max(status, (status_on, precedence)) as status,
        max(status_on) as status_on,
    from records
    group by ip_number
),

latest_fee as (
    select
        ip_number,
        arg_max(fee_paid_until, (status_on, fee_paid_until)) as fee_paid_until,
    from records
    where fee_paid_until is not null
    group by ip_number
),

joined as (
    select
        s.loan_id,
        s.enterprise_name,
        s.credit_code,
        s.bank,
        s.guarantor,
        s.appraiser,
        s.disbursed_on,
        s.matures_on,
        s.outstanding,
        s.active,
        i.ip_type,
        i.ip_number,
        i.ip_expires_on,
        i.appraised_value,
        i.filed_on,
        i.is_patent,
        coalesce(ls.status, 'valid') as status,
        ls.status_on,
        case when i.is_patent then lf.fee_paid_until end as fee_paid_until,
        case when i.is_patent then (lf.fee_paid_until + interval 6 month)::date end as fee_grace_until,
        -- the first anniversary of the filing date after as_of (29 Feb -> 28 Feb in other years)
        case when i.is_patent and i.filed_on is not null then
            case
                when (i.filed_on + to_years(greatest(year($as_of::date) - year(i.filed_on), 1)))::date
                    > $as_of::date
                then (i.filed_on + to_years(greatest(year($as_of::date) - year(i.filed_on), 1)))::date
                else (i.filed_on + to_years(greatest(year($as_of::date) - year(i.filed_on), 1) + 1))::date
            end
        end as filing_anniversary,
    from snapshot as s
    join items as i using (loan_id)
    left join latest_status as ls using (ip_number)
    left join latest_fee as lf using (ip_number)
),

watched as (
    select
        *,
        case
            when fee_paid_until is null then null
            when $as_of::date > fee_grace_until then 'lapsed'
            when $as_of::date > fee_paid_until then 'fee_grace'
            when fee_paid_until - $as_of::date <= $ip_fee_warning_days::integer then 'fee_due_soon'
        end as fee_watch,
        coalesce(ip_expires_on < matures_on, false) as expires_before_maturity,
        coalesce(fee_paid_until, filing_anniversary) as next_fee_due,
    from joined
),

flagged as (
    select
        *,
        status in ('terminated', 'invalidated', 'expired')
            or (status = 'pledge_released' and status_on > disbursed_on)
            or fee_watch is not distinct from 'lapsed'
            or coalesce(ip_expires_on < $as_of::date, false) as lost,
    from watched
),

final as (
    select
        loan_id,
        enterprise_name,
        credit_code,
        bank,
        guarantor,
        appraiser,
        disbursed_on,
        matures_on,
        outstanding,
        active,
        ip_type,
        ip_number,
        ip_expires_on,
        appraised_value,
        filed_on,
        status,
        status_on,
        fee_paid_until,
        fee_grace_until,
        fee_watch,
        next_fee_due,
        expires_before_maturity,
        coalesce(fee_watch, case when expires_before_maturity then 'expires_before_maturity' end) as watch,
        lost,
        not lost and (coalesce(fee_watch in ('fee_due_soon', 'fee_grace'), false)
                      or status in ('fee_overdue', 'invalidation_requested', 'partially_invalidated')) as at_risk,
    from flagged
)

select * from final
order by loan_id, ip_number
