-- bank_users: one row per bank that has an enabled bank user — the banks that receive a monthly
-- filing pack (九(二), R-NOTIFY).
with

final as (
    select distinct organisation as bank
    from main.users
    where role = 'bank' and not disabled and organisation is not null
)

select * from final
order by bank
