-- Value parsers and check helpers shared by every stage_<kind>.sql (LEDGER.md "Values as banks
-- write them"). Temporary macros, created once per ingestion connection. Money and rates are
-- parsed from text straight into DECIMAL: no value ever passes through a binary float.

-- Full-width digits, comma, point, signs, percent, space, slash and colon to their ASCII forms.
create or replace temp macro pw_halfwidth(s) as
    translate(s, '０１２３４５６７８９，．－＋％　／：', '0123456789,.-+% /:');

-- Limits (pipelines/limits.py) are session variables set by ingest._prepare with bound values:
-- getvariable('pw_max_money'), getvariable('pw_min_date'), getvariable('pw_max_date').

-- A plain decimal number (at most 16 integer and 16 decimal digits, so that the cast to
-- DECIMAL(38,16) is exact and ×10,000 still fits). No exponent (1e2) or underscore (1_000), which
-- DuckDB's own cast would accept: LEDGER.md, nothing is silently coerced.
create or replace temp macro pw_is_number(n) as
    regexp_full_match(n, '[+-]?(\d{1,16}(\.\d{0,16})?|\.\d{1,16})');

-- The amount as written, exactly, in yuan (× 10,000 for 万元), or NULL when it is not a number.
create or replace temp macro pw_money_exact(n, wan) as
    case when pw_is_number(n) then
        try_cast(n as decimal(38, 16)) * (case when wan then 10000 else 1 end)
    end;

-- Money text after the forms are undone: full-width, thousands commas, ¥ prefix, spaces.
create or replace temp macro pw_money_text(s) as
    regexp_replace(replace(pw_halfwidth(s), ',', ''), '^[¥￥]|\s', '', 'g');

-- An 元 / 万 / 万元 suffix is dropped; 万 or a 万元 column (wan = true) multiply by 10,000.
create or replace temp macro pw_money_any(t, wan) as
    pw_money_exact(regexp_replace(t, '(万元|万|元)$', ''), wan or regexp_matches(t, '万元?$'));

-- An exact amount kept only when it is whole fen and within max_money: 1,000.005 is not rounded
-- to 1000.01 but rejected (pw_money_why says why), and no amount reaches the rules that would
-- overflow their DECIMAL(18) arithmetic.
create or replace temp macro pw_money_value(x) as
    case when x = round(x, 2) and abs(x) <= getvariable('pw_max_money') then x::decimal(18, 2) end;

create or replace temp macro pw_money_limit(x) as
    case when x <= getvariable('pw_max_money') then x end;

-- Money text -> DECIMAL(18,2) yuan, exact, or NULL when it is not money to the fen within the limit.
-- 1234567.89, 1,234,567.89, full-width digits, ¥ prefix, 元 suffix; 万 / 万元 suffix or a 万元
-- column (wan = true) multiply by 10,000: 0.6001 万元 = 6001.00 (万元 with up to 6 decimals is
-- whole fen; more is rejected).
create or replace temp macro pw_money(s, wan) as
    case
        when s is null then null
        -- fast path: plain digits with at most two decimals, which DuckDB's cast reads exactly
        -- (the other forms, and every 万元 value, take the exact parse below; the regex costs a
        -- fifth of the cast's time, where translate() cost five times it)
        when not wan and regexp_full_match(s, '\d{1,11}(\.\d{1,2})?') then
            pw_money_limit(try_cast(s as decimal(18, 2)))
        else pw_money_value(pw_money_any(pw_money_text(s), wan))
    end;

-- Why a filled money cell has no amount: more decimals than the fen, above max_money, or not money.
create or replace temp macro pw_money_why(s, wan) as
    case
        when pw_money_any(pw_money_text(s), wan) is null then 'bad_money'
        when pw_money_any(pw_money_text(s), wan) <> round(pw_money_any(pw_money_text(s), wan), 2)
            then 'money_precision'
        else 'money_limit'
    end;

create or replace temp macro pw_rate_scaled(n, pct) as
    case when regexp_full_match(n, '[+-]?(\d{1,6}(\.\d{0,16})?|\.\d{1,16})') then
        try_cast(round(try_cast(n as decimal(38, 16))
                       * (case when pct then 0.01 else 1 end)::decimal(3, 2), 8) as decimal(12, 8))
    end;

-- Rate text -> DECIMAL(12,8) fraction: 0.0345, 3.45%, or 3.45 in a column whose header says (%).
-- Range (0 <= rate < 1) is checked by the stage so that 3.45 without % is reported, not guessed.
create or replace temp macro pw_rate_slow(s, pct) as
    pw_rate_scaled(regexp_replace(regexp_replace(pw_halfwidth(s), '\s', '', 'g'), '%$', ''),
                   pct or ends_with(trim(pw_halfwidth(s)), '%'));

create or replace temp macro pw_rate(s, pct) as
    case
        when s is null then null
        -- fast path: a plain fraction such as 0.0345 (cast rounds half away from zero to 8 places)
        when not pct then coalesce(
            case when regexp_full_match(s, '\d{1,4}(\.\d*)?') then try_cast(s as decimal(12, 8)) end,
            pw_rate_slow(s, pct))
        else pw_rate_slow(s, pct)
    end;

-- Date text (time of day dropped) -> DATE, or NULL for text that is not a real calendar date
-- (2024-02-30 is NULL: the cast refuses it).
create or replace temp macro pw_date_text(t) as
    case
        when regexp_full_match(t, '\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?') then
            try_cast(regexp_replace(t, '^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$', '\1-\2-\3') as date)
        when regexp_full_match(t, '\d{8}') then
            try_cast(regexp_replace(t, '^(\d{4})(\d{2})(\d{2})$', '\1-\2-\3') as date)
        -- Excel serial day numbers (1900 date system, day 0 = 1899-12-30): 45352 = 2024-03-01
        when regexp_full_match(t, '\d{5}(\.0+)?') then
            date '1899-12-30' + try_cast(regexp_extract(t, '^(\d{5})', 1) as integer)
    end;

-- 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日, Excel serials; a valid time of day
-- (00:00 to 23:59:59) is dropped, an impossible one (25:00) makes the text no date. No range check.
create or replace temp macro pw_date_any(s) as
    case
        when s is null then null
        -- fast path: DuckDB's cast reads 2024-03-01, 2024/3/1, 2024-3-1 (a leading digit keeps
        -- out its special values such as 'infinity', the separator after 4 digits two-digit years,
        -- the length a time part, which it would accept as 24:00:00)
        else coalesce(
            case when s[1] between '0' and '9' and s[5] in ('-', '/') and length(s) <= 10
                then try_cast(s as date) end,
            pw_date_text(regexp_replace(regexp_replace(trim(pw_halfwidth(s)),
                '([ T]+([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?)$', ''), '\s', '', 'g')))
    end;

-- Date text -> DATE within min_date..max_date, else NULL (pw_date_why says why): 0001-01-01,
-- 9999-12-31, Excel serials 00000 / 99999 and BC dates are no ledger dates.
create or replace temp macro pw_date(s) as
    case when pw_date_any(s) between getvariable('pw_min_date') and getvariable('pw_max_date')
        then pw_date_any(s) end;

create or replace temp macro pw_date_why(s) as
    case when pw_date_any(s) is null then 'bad_date' else 'date_range' end;

-- Enumeration lookup key: lower case, no spaces (columns.enum_aliases normalises the same way).
create or replace temp macro pw_enum_key(s) as
    lower(replace(replace(s, ' ', ''), '　', ''));

-- Chinese patent number: the 13 characters after ZL without spaces or the point.
create or replace temp macro pw_patent_digits(s) as
    replace(replace(replace(replace(upper(s), 'ZL', ''), '.', ''), ' ', ''), '　', '');

-- Check digit of the 12 digits: Σ digit × (2,3,4,5,6,7,8,9,2,3,4,5) mod 11, 10 written X.
create or replace temp macro pw_patent_check(d) as
    (((ascii(d[1]) - 48) * 2 + (ascii(d[2]) - 48) * 3 + (ascii(d[3]) - 48) * 4 + (ascii(d[4]) - 48) * 5
      + (ascii(d[5]) - 48) * 6 + (ascii(d[6]) - 48) * 7 + (ascii(d[7]) - 48) * 8 + (ascii(d[8]) - 48) * 9
      + (ascii(d[9]) - 48) * 2 + (ascii(d[10]) - 48) * 3 + (ascii(d[11]) - 48) * 4 + (ascii(d[12]) - 48) * 5) % 11)::integer;

create or replace temp macro pw_patent_ok(d) as
    regexp_full_match(d, '\d{12}[0-9X]')
    and d[13] = case when pw_patent_check(d) = 10 then 'X' else pw_patent_check(d)::varchar end;

-- One problem of one cell, or NULL when the cell is fine: a required cell left empty is
-- 'missing'; a filled cell whose value could not be converted gets the given code.
create or replace temp macro pw_check(col, raw, val, code, required) as
    case
        when raw is null and required then {'column_name': col, 'raw_value': null::varchar, 'code': 'missing'}
        when raw is not null and val is null then {'column_name': col, 'raw_value': raw, 'code': code}
    end;

create or replace temp macro pw_problem(cond, col, raw, code) as
    case when cond then {'column_name': col, 'raw_value': raw, 'code': code} end;

-- Unknown extra columns kept aside as one JSON object {"header": "value", …}.
create or replace temp macro pw_extras(keys, vals) as
    case when len(keys) = 0 then null else to_json(map(keys, vals))::varchar end;

-- GB 32100-2015 unified social credit code (the algorithm of python-stdnum's stdnum.cn.uscc): 8
-- digits, 10 characters of the code alphabet (no I, O, S, V, Z), the 18th a check character
-- alphabet[(31 - Σ value × weight mod 31) mod 31] with weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,
-- 10,30,28. A vectorised pre-check: every code it fails is handed to python-stdnum, whose verdict
-- decides the reject (ingest._code_verdicts); tests compare the two on random codes.
create or replace temp macro pw_uscc_value(ch) as
    strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', ch) - 1;

create or replace temp macro pw_uscc_sum(c) as
    (pw_uscc_value(c[1]) * 1 + pw_uscc_value(c[2]) * 3 + pw_uscc_value(c[3]) * 9 + pw_uscc_value(c[4]) * 27
      + pw_uscc_value(c[5]) * 19 + pw_uscc_value(c[6]) * 26 + pw_uscc_value(c[7]) * 16 + pw_uscc_value(c[8]) * 17
      + pw_uscc_value(c[9]) * 20 + pw_uscc_value(c[10]) * 29 + pw_uscc_value(c[11]) * 25 + pw_uscc_value(c[12]) * 13
      + pw_uscc_value(c[13]) * 8 + pw_uscc_value(c[14]) * 24 + pw_uscc_value(c[15]) * 10 + pw_uscc_value(c[16]) * 30
      + pw_uscc_value(c[17]) * 28);

create or replace temp macro pw_uscc_ok(c) as
    regexp_full_match(c, '[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}')
    and c[18] = '0123456789ABCDEFGHJKLMNPQRTUWXY'[((31 - pw_uscc_sum(c) % 31) % 31) + 1];
