-- The audit page's user filter: one row = one username that appears in the audit log (R-SCOPE).
select distinct username
from audit_log
where username is not null
order by username
