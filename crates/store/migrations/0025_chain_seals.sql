-- Each case row carries the seals of its chain head and of its state (ADR 0037): HMAC-SM3 under
-- a key outside the database. Rows written before have none until a server with the key seals
-- them once at its start.
ALTER TABLE cases ADD COLUMN head_seal TEXT;
ALTER TABLE cases ADD COLUMN state_seal TEXT;
-- A sealed census of each district's case numbers per finished day, chained day to day, so that
-- a case deleted with its events and seals is missed.
CREATE TABLE case_census (
    region_code TEXT NOT NULL,
    day TEXT NOT NULL,
    cases BIGINT NOT NULL,
    digest TEXT NOT NULL,
    seal TEXT NOT NULL,
    PRIMARY KEY (region_code, day)
)
