-- A successful sign-in (sign-in lock-out): the failure count and any past lock-out are cleared; a
-- hash made with older argon2 parameters is replaced by $password_hash.
update users
set failed_count = 0, locked_until = null, password_hash = coalesce($password_hash, password_hash)
where username = $username
