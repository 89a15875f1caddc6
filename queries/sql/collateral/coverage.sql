-- coverage: one row per loan disbursed on or before $as_of within the scope — its pledge value after
-- the losses of its pledged IP and its loan-to-value at the end of $as_of (R-COVER).
--   weight of an item = its appraised_value; if any item of the loan lacks a value (or all are 0),
--     every item of the loan weighs 1;
--   pledge_value = the loan's own pledge value (the lower of appraised_value and fair_value, as in
--     C3) × Σ weights of items not lost ÷ Σ weights of all items (a loan with no items keeps it all),
--     shown rounded half-up to 0.01;
--   ltv = outstanding ÷ the unrounded pledge value, DECIMAL(38,18) (null when the pledge value is 0);
--   under_secured = ltv > max_pledge_rate, or pledge value 0 with outstanding > 0; decided on exact
--     integers (fen × weights), never on a rounded or binary value;
--   uncovered = outstanding − max_pledge_rate × the unrounded pledge value, rounded half-up to 0.01;
--     0.00 when not under-secured;
--   has_lost / has_at_risk = an item lost / at risk for this loan (collateral/ip_watch.sql).
-- $active_only: only the loans active at as_of (each row depends on its own loan alone).
-- Reads engine-registered relations pw_snapshot and collateral_ip_watch (ip_watch.sql at the same
-- as_of, scope and $active_only), and table loans. Params: $max_pledge_rate, $active_only.
with

snapshot as (
    select loan_id, enterprise_name, bank, outstanding, active
    from pw_snapshot
    where active or not $active_only::boolean
),

loans as (
    select loan_id, least(appraised_value, coalesce(fair_value, appraised_value)) as base_value
    from main.loans
),

items as (
    select loan_id, ip_number, appraised_value, lost, at_risk
    from collateral_ip_watch
),

per_loan as (
    select
        loan_id,
        count(*) as items,
        count(*) filter (where lost) as lost_items,
        bool_or(lost) as has_lost,
        bool_or(at_risk) as has_at_risk,
        count(*) filter (where appraised_value is null) = 0 and sum(appraised_value) > 0 as valued,
        sum((appraised_value * 100)::hugeint) as value_fen,
        coalesce(sum((appraised_value * 100)::hugeint) filter (where not lost), 0) as kept_value_fen,
    from items
    group by loan_id
),

integers as (
    select
        s.loan_id,
        s.enterprise_name,
        s.bank,
        s.outstanding,
        s.active,
        l.base_value,
        coalesce(p.items, 0) as items,
        coalesce(p.lost_items, 0) as lost_items,
        coalesce(p.has_lost, false) as has_lost,
        coalesce(p.has_at_risk, false) as has_at_risk,
        (s.outstanding * 100)::hugeint as o,
        (l.base_value * 100)::hugeint as b,
        case when p.items is null then 1 when p.valued then p.kept_value_fen
             else p.items - p.lost_items end::hugeint as k,
        case when p.items is null then 1 when p.valued then p.value_fen else p.items end::hugeint as w,
        ($max_pledge_rate::decimal(9, 4) * 10000)::hugeint as r,
    from snapshot as s
    join loans as l using (loan_id)
    left join per_loan as p using (loan_id)
),

decided as (
    select
        *,
        b * k = 0 and o > 0 or b * k > 0 and o * w * 10000 > r * b * k as under_secured,
    from integers
),

final as (
    select
        loan_id,
        enterprise_name,
        bank,
        outstanding,
        active,
        base_value,
        items,
        lost_items,
        has_lost,
        has_at_risk,
        (((2 * b * k + w) // (2 * w))::decimal(38, 0) * 0.01::decimal(3, 2))::decimal(18, 2) as pledge_value,
        pw_quotient(o * w, b * k) as ltv,
        $max_pledge_rate::decimal(9, 4) as max_pledge_rate,
        under_secured,
        case when under_secured then
            ((2 * (o * w * 10000 - r * b * k) + w * 10000) // (2 * w * 10000))::decimal(38, 0) * 0.01::decimal(3, 2)
            else 0
        end::decimal(18, 2) as uncovered,
    from decided
)

select * from final
order by loan_id
