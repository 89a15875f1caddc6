-- Disables one account (R-SCOPE user change): it can no longer sign in; the row stays for the audit.
update users set disabled = true, updated_at = $now::timestamp where username = $username
