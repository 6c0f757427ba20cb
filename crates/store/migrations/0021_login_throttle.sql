-- Failed log-ins, kept per name and per name from one client address (ADR 0033), in place of
-- each account's own count and lock. Names are kept as keyed hashes, and an unknown name is
-- counted as a real one is, so neither an answer nor its time tells which names exist.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    -- The name's own key, whichever address: what an admin's unlock or a new password clears.
    name_key TEXT NOT NULL,
    failures BIGINT NOT NULL,
    wait_until_ms BIGINT NOT NULL
);
CREATE INDEX login_throttle_name ON login_throttle (name_key);
ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until_ms;
ALTER TABLE applicants DROP COLUMN failed_logins;
ALTER TABLE applicants DROP COLUMN locked_until_ms
