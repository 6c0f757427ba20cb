-- Each case row carries the seals of its chain head and of its state (ADR 0037): HMAC-SM3 under
-- a key outside the database. Rows written before have none until a server with the key seals
-- them once at its start.
ALTER TABLE cases ADD COLUMN head_seal TEXT;
ALTER TABLE cases ADD COLUMN state_seal TEXT
