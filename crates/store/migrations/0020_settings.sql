-- Facts about the database itself, by name. The first is the fingerprint of the data key its
-- personal data was encrypted with, so a server given another key refuses to start rather than
-- fail on every applicant's log-in.
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
