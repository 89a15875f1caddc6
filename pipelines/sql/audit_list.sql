-- The audit page's rows (R-SCOPE audit log, bureau only): one row = one audit entry, newest first.
-- Every filter is optional (NULL = any): user, action, first and last day (inclusive, UTC days).
select
    audit_id,
    happened_at,
    username,
    role,
    organisation,
    action,
    object,
    detail,
    source,
from audit_log
where ($username is null or username = $username)
  and ($action is null or action = $action)
  and ($date_from is null or happened_at >= $date_from::date)
  and ($date_to is null or happened_at < $date_to::date + interval 1 day)
order by happened_at desc, audit_id desc
limit $limit
