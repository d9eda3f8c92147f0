-- Audit entries name the key's id as well as its name: two keys may both be called "Quản trị".
-- `actor` keeps the name (compatibility); `actor_id` is the key's id, or "cli" / "seed" for work
-- done on the server itself. Older entries made through the API stay NULL: their key is not known.
ALTER TABLE audit_log ADD COLUMN actor_id TEXT;
UPDATE audit_log SET actor_id = actor WHERE actor IN ('cli', 'seed');
