-- Records one wrong password for an account (sign-in lock-out): the failure count goes up; the
-- failure that reaches $max_failures locks the account until $now + $lock_minutes and starts the
-- count again, so the next lock-out again takes $max_failures failures.
update users
set failed_count = case when failed_count + 1 >= $max_failures then 0 else failed_count + 1 end,
    locked_until = case when failed_count + 1 >= $max_failures
                        then $now::timestamp + to_minutes($lock_minutes::integer)
                        else locked_until end
where username = $username
returning locked_until
