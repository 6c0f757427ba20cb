-- Uploaded material files (docs/adr/0008). The bytes live in the database, so one transaction
-- stores a file, its row and the case event that records it, and every process serving the
-- database sees every file. Bytes are kept once per content within a district: `digest` is the
-- SM3 of the bytes, which the `material_uploaded` event also carries, so the hash chain covers
-- the file's content too. BYTEA is PostgreSQL's binary type; SQLite accepts the name and keeps
-- the value as a BLOB.

CREATE TABLE file_blobs (
    region_code TEXT NOT NULL REFERENCES regions(code),
    digest TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (region_code, digest)
);

-- One row per upload, keyed by the sequence number of the event that recorded it.
CREATE TABLE case_files (
    case_number TEXT NOT NULL REFERENCES cases(number),
    event_seq BIGINT NOT NULL,
    material_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    digest TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    PRIMARY KEY (case_number, event_seq),
    FOREIGN KEY (region_code, digest) REFERENCES file_blobs(region_code, digest)
);
