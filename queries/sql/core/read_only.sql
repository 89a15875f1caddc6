-- read only: one row — whether the connection's database is open read-only (then nothing can
-- change the ledgers while it is open, so what was looked up once may be remembered). Plumbing.
with

final as (
    select readonly
    from duckdb_databases()
    where database_name = current_database()
)

select * from final
