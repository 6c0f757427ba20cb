-- A staff account is deactivated, never deleted: case events and the audit log name it for as
-- long as they are kept. A deactivated account cannot log in, and its sessions are ended when it
-- is deactivated. NULL while the account is active.

ALTER TABLE staff ADD COLUMN deactivated_ms BIGINT
