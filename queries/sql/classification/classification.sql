-- classification: one row per five-category class (R-CLASS, 《商业银行金融资产风险分类办法》
-- 2023 No. 1): minimum class of active loans by DPD — normal 正常 (0), special_mention 关注 (>= 1),
-- substandard 次级 (> 90), doubtful 可疑 (> 270), loss 损失 (> 360); non_performing marks the
-- banks' own 不良 (次级 + 可疑 + 损失), which is NOT the scheme's R-NPL trigger ratio.
-- Loans, balance and share of the active balance (pw_ratio of macros.sql) at $as_of.
-- Reads engine-registered relation pw_snapshot (snapshot.sql, already scoped).
with

classes as (
    select * from (values
        (0, 'normal', false),
        (1, 'special_mention', false),
        (2, 'substandard', true),
        (3, 'doubtful', true),
        (4, 'loss', true)
    ) as t(class_order, risk_class, non_performing)
),

active as (
    select * from pw_snapshot where active
),

per_class as (
    select risk_class, count(*) as loans, sum(outstanding)::decimal(38, 2) as balance
    from active
    group by risk_class
),

total as (
    select coalesce(sum(outstanding), 0)::decimal(38, 2) as active_balance from active
),

final as (
    select
        classes.risk_class,
        classes.non_performing,
        coalesce(per_class.loans, 0) as loans,
        coalesce(per_class.balance, 0)::decimal(38, 2) as balance,
        pw_ratio(coalesce(per_class.balance, 0), total.active_balance) as balance_share
    from classes
    cross join total
    left join per_class using (risk_class)
    order by classes.class_order
)

select * from final
