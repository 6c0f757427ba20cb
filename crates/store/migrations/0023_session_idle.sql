-- A session also ends after a time without use (staff: 30 minutes by default), beside its
-- absolute end: the moment it does, moved on as it is used. Sessions opened before have none.
ALTER TABLE sessions ADD COLUMN idle_until_ms BIGINT
