-- Sets one account's argon2id hash (R-SCOPE user change) and clears its failure count and lock-out.
update users
set password_hash = $password_hash, failed_count = 0, locked_until = null, updated_at = $now::timestamp
where username = $username
