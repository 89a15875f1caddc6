-- Every account for `pipelines.users list` (R-SCOPE): one row = one user; never the hash itself.
select
    username,
    role,
    organisation,
    email,
    webhook,
    disabled,
    password_hash is not null as has_password,
    locked_until,
    created_at,
    updated_at,
from users
order by username
