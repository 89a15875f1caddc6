-- Creates one sign-in account (R-SCOPE roles): one row = one user. The password is stored only as
-- an argon2id hash (or NULL: the account cannot sign in until `pipelines.users passwd`).
insert into users (username, role, organisation, email, webhook, disabled, password_hash, failed_count,
                   locked_until, created_at, updated_at)
values ($username, $role, $organisation, $email, $webhook, false, $password_hash, 0, null,
        $now::timestamp, $now::timestamp)
