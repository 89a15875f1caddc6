-- has derived meta: one row — whether this database has the derived_meta table (a store written
-- before stored intermediates existed, or never loaded through ingest, has none). Plumbing.
with

final as (
    select count(*) > 0 as has_meta
    from duckdb_tables()
    where database_name = current_database()
      and schema_name = 'main'
      and table_name = 'derived_meta'
)

select * from final
