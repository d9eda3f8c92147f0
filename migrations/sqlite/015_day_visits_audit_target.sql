-- Visits per calendar day in the site's time zone (issue 15, the province overview's "visits today"), kept
-- beside the day's views in the transaction of the view that starts the visit. Days before this migration
-- have no daily visits (0): the site's running total in counter_sites is unchanged.
ALTER TABLE counter_days ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;

-- One thing's history in the audit log (GET /v1/admin/audit?targetType=comment&targetId=…), newest first.
CREATE INDEX audit_log_target ON audit_log(target_type, target_id, id);
