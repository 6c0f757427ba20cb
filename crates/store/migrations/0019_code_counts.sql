-- A phone's verification codes are counted per day: how many were sent, beside the wrong tries
-- (`attempts`), which now count across the day's codes rather than per code (ADR 0031). A spent
-- code's row stays, expired, so the counts survive it.
ALTER TABLE verification_codes ADD COLUMN day TEXT NOT NULL DEFAULT '1970-01-01';
ALTER TABLE verification_codes ADD COLUMN sent_today BIGINT NOT NULL DEFAULT 0
