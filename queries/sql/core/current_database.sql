-- current database: one row — the name of the connection's default database (the store's file), to
-- return to after work on an attached scratch database (queries/derived.py). Plumbing.
with

final as (
    select current_database() as name
)

select * from final
