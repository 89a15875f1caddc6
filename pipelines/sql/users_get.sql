-- One account by username (R-SCOPE): one row = the user, with its hash for verification only.
select username, role, organisation, email, webhook, disabled, password_hash, failed_count, locked_until
from users
where username = $username
