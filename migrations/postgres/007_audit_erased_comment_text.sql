-- A deleted or erased comment's words go from the audit entries that quote them (src/audit/redact.ts,
-- QUOTED_COMMENT_TEXT); the stores do it with each deletion from now on. This clears the entries of comments
-- deleted before: who edited what and when stays.
UPDATE audit_log
SET detail = (detail - 'before' - 'after') || '{"textErased": true}'::jsonb
WHERE action = 'comment.edit' AND detail IS NOT NULL AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = audit_log.target_id);

-- The stores find a deleted comment's edit entries by target: an index on those entries only.
CREATE INDEX audit_log_comment_edits ON audit_log(target_id) WHERE action = 'comment.edit';
