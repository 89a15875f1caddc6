-- One row per non-blank data row of the sheet being loaded: the raw text of each canonical
-- column (trimmed, empty = NULL: raw_trimmed.sql) and the values of the unknown extra columns as
-- a list.
-- Template: <numbered>, <named>, <extra_values> and <all_cells> are built by ingest.py only from the
-- canonical names of columns.KINDS and the positional names c0, c1, … of the reader — never
-- from the file's text (its header names travel as the bound list $extra_keys).
create or replace temp view raw_named as
with source as (
    select {numbered} from raw_src
),

final as (
    select
        _seq,
        {named},
        {extra_values} as _extra_values
    from source
    where coalesce({all_cells}) is not null
)

select * from final
