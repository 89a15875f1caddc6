-- The PledgeWatch store: one table per ledger kind of LEDGER.md, the load
-- journal (ingest_batches, rejects) and a history table per keyed ledger that
-- keeps every replaced version of a row. Money is DECIMAL(18,2) (yuan, exact to
-- the fen); rates are DECIMAL(12,8) fractions (0.0345 = 3.45%).
-- No PRIMARY KEY constraints on ledgers: keys are enforced by the pipeline's
-- set-based merge (constraints would slow bulk loads and some key parts, such
-- as an event's party, may be empty).

create sequence if not exists batch_seq start 1;

create table if not exists ingest_batches (
    batch_id      integer primary key,
    file_name     varchar not null,
    sheet         varchar,
    sha256        varchar not null,
    kind          varchar,
    rows_read     integer not null default 0,
    rows_loaded   integer not null default 0,   -- new or replacing rows written
    rows_unchanged integer not null default 0,  -- identical to what was stored
    rows_rejected integer not null default 0,
    started_at    timestamp not null,
    finished_at   timestamp,
    outcome       varchar not null,             -- loaded / unchanged / refused
    message_zh    varchar,
    message_en    varchar
);

create table if not exists rejects (
    batch_id    integer not null,
    file_name   varchar not null,
    sheet       varchar,
    row_number  integer,          -- 1-based row of the file/sheet as a person sees it
    column_name varchar,
    raw_value   varchar,
    reason_zh   varchar not null,
    reason_en   varchar not null
);

create table if not exists loans (
    loan_id         varchar not null,
    enterprise_name varchar not null,
    credit_code     varchar not null,
    bank            varchar not null,
    pledge_mode     varchar not null,   -- direct / indirect
    guarantor       varchar,
    appraiser       varchar not null,
    principal       decimal(18,2) not null,
    annual_rate     decimal(12,8) not null,
    disbursed_on    date not null,
    matures_on      date not null,
    appraised_value decimal(18,2) not null,
    fair_value      decimal(18,2),
    guarantee_fee   decimal(18,2),
    appraisal_fee   decimal(18,2),
    renewed_from    varchar,
    industry        varchar,
    extras          varchar,            -- unknown extra columns as JSON text
    batch_id        integer not null
);

create table if not exists collateral (
    loan_id         varchar not null,
    ip_type         varchar not null,   -- invention_patent / utility_model / trademark / geographical_indication
    ip_number       varchar not null,
    ip_expires_on   date,
    appraised_value decimal(18,2),
    extras          varchar,
    batch_id        integer not null,
    filed_on        date                -- 申请日: annual fees count from it (R-IPSTAT)
);
-- stores created before filed_on existed gain it (its history table follows in store.init_schema)
alter table collateral add column if not exists filed_on date;

-- The pledged IP's legal-status records (R-IPSTAT): one row per (ip_number, status_on, status).
create table if not exists ip_status (
    ip_number      varchar not null,    -- as in collateral (patents ZL202310123456.7)
    status_on      date not null,
    status         varchar not null,    -- valid / pledge_registered / fee_paid / fee_overdue / terminated / …
    fee_paid_until date,                -- annual fees paid up to this date (fee_paid, restored)
    extras         varchar,
    batch_id       integer not null
);

create table if not exists schedule (
    loan_id       varchar not null,
    due_on        date not null,
    principal_due decimal(18,2) not null,
    interest_due  decimal(18,2) not null,
    extras        varchar,
    batch_id      integer not null
);

create table if not exists repayments (
    row_key        varchar not null,    -- txn_id when given, else a digest of the whole row
    txn_id         varchar,
    loan_id        varchar not null,
    paid_on        date not null,
    principal_paid decimal(18,2) not null,
    interest_paid  decimal(18,2) not null,
    extras         varchar,
    batch_id       integer not null
);

create table if not exists events (
    loan_id  varchar not null,
    event_on date not null,
    kind     varchar not null,          -- compensation_notice / compensation / recovery / write_off
    party    varchar,                   -- guarantor / appraiser / bank
    amount   decimal(18,2),
    extras   varchar,
    batch_id integer not null
);

create table if not exists decisions (
    decided_on date not null,
    kind       varchar not null,        -- resume / halt
    note       varchar,
    extras     varchar,
    batch_id   integer not null
);

create table if not exists subsidies (
    loan_id  varchar not null,
    kind     varchar not null,          -- interest / appraisal_fee / guarantee_fee / patent_pledge
    amount   decimal(18,2) not null,
    paid_on  date not null,
    extras   varchar,
    batch_id integer not null
);

-- batch_id 0 = the reference table shipped in data/reference/lpr.csv
create table if not exists lpr (
    effective_on date not null,
    rate         decimal(12,8) not null,
    extras       varchar,
    batch_id     integer not null
);

-- Sign-in accounts (R-SCOPE). role: bureau_admin / bureau_viewer / bank / guarantor / appraiser;
-- organisation: the bank / guarantor / appraiser name as the ledgers spell it (loans.bank, …),
-- null for the bureau roles. password_hash: an argon2id PHC string, null until a password is set
-- (such an account cannot sign in). email / webhook: where the alerts (R-NOTIFY) go.
create table if not exists users (
    username      varchar primary key,
    role          varchar not null,
    organisation  varchar,
    email         varchar,
    webhook       varchar,
    disabled      boolean not null default false,
    password_hash varchar,
    failed_count  integer not null default 0,
    locked_until  timestamp,
    created_at    timestamp not null,
    updated_at    timestamp not null
);

-- The audit log (R-SCOPE): append-only; one row per sign-in (also failed), sign-out, loan view,
-- download, import, decision and user change. source: 'app', or 'cli:<OS user>'.
create sequence if not exists audit_seq start 1;
create table if not exists audit_log (
    audit_id      bigint primary key default nextval('audit_seq'),
    happened_at   timestamp not null,
    username      varchar,
    role          varchar,
    organisation  varchar,
    action        varchar not null,
    object        varchar,
    detail        varchar,
    source        varchar not null
);

-- Alerts (R-NOTIFY), written by queries.alerts. One row per event, keyed by (kind, key); the key
-- starts with the kind and names the occurrence (a condition that ends and comes back is a new key).
-- bank / guarantor / appraiser: the loan's parties when the event is about a loan (R-SCOPE), the
-- bank itself for stale_bank and filing_pack. detail: JSON text of the figures behind the event.
create table if not exists alert_events (
    kind        varchar not null,
    key         varchar not null,
    event_on    date not null,        -- the evaluated day that yielded the event
    loan_id     varchar,
    bank        varchar,
    guarantor   varchar,
    appraiser   varchar,
    detail      varchar,
    created_at  timestamp not null,
    primary key (kind, key)
);

-- Conditions with the first day of their stay and the last evaluated day they held on, so that a
-- condition that goes on keeps that first day in its key across days and runs (a row whose
-- last_seen is not the last evaluated day is a condition that ended). item = the key without it.
create table if not exists alert_open (
    kind      varchar not null,
    item      varchar not null,
    since     date not null,
    last_seen date not null,
    primary key (kind, item)
);

-- One row per alert run: the days it evaluated (evaluated_to = the last evaluated day, from which
-- the next run goes on) and its counts.
create table if not exists alert_runs (
    run_id         integer primary key,
    as_of          date not null,
    evaluated_from date,
    evaluated_to   date,
    started_at     timestamp not null,
    finished_at    timestamp,
    events         integer not null default 0,
    deliveries     integer not null default 0,
    failures       integer not null default 0
);

-- Every delivery attempt of an event to a recipient over a channel (email / webhook); outcome sent
-- or failed with the error. A (kind, key, username, channel) with a 'sent' row is never sent again.
create table if not exists alert_deliveries (
    run_id       integer not null,
    kind         varchar not null,
    key          varchar not null,
    username     varchar not null,
    channel      varchar not null,
    attempted_at timestamp not null,
    outcome      varchar not null,
    error        varchar
);

-- Acknowledgements on the inbox page: who acknowledged which event, when.
create table if not exists alert_acks (
    kind      varchar not null,
    key       varchar not null,
    username  varchar not null,
    acked_at  timestamp not null,
    primary key (kind, key, username)
);
