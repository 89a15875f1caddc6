-- Appends one audit row (R-SCOPE "written to an audit log (who, role, organisation, when, what)").
-- One row = one sign-in (also failed), sign-out, loan view, download, import or user change.
-- The log is append-only: nothing in the project updates or deletes audit_log rows.
insert into audit_log (happened_at, username, role, organisation, action, object, detail, source)
values ($happened_at::timestamp, $username, $role, $organisation, $action, $object, $detail, $source)
