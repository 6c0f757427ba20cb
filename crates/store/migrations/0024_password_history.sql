-- An account's earlier password hashes, so a new password differs from the last five (the
-- current one, in the account's row, and four here); and a staff account whose password was
-- set by the admin (new, or reset) must choose its own at first log-in.
CREATE TABLE password_history (
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    set_ms BIGINT NOT NULL
);
CREATE INDEX password_history_subject ON password_history (subject_kind, subject_id, set_ms);
ALTER TABLE staff ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0
