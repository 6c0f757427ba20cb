-- OneWindow schema 1, for SQLite and PostgreSQL alike (see docs/adr/0002-one-schema-two-engines.md).
-- Dates are ISO text (YYYY-MM-DD, in the region's time zone); instants are BIGINT milliseconds UTC.
-- Flags and counters are BIGINT everywhere, so one decoder reads both engines.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES regions(code)
);

CREATE TABLE sites (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    address TEXT NOT NULL
);

CREATE TABLE halls (
    code TEXT PRIMARY KEY,
    site_code TEXT NOT NULL REFERENCES sites(code),
    name TEXT NOT NULL,
    floor TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    section TEXT NOT NULL,
    phone TEXT NOT NULL,
    theme TEXT,
    via_comprehensive_service BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE windows (
    code TEXT PRIMARY KEY,
    hall_code TEXT NOT NULL REFERENCES halls(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    theme TEXT,
    department_code TEXT REFERENCES departments(code),
    issues_results BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE items (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments(code),
    theme TEXT,
    current_version BIGINT NOT NULL,
    delegated BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code)
);
CREATE INDEX items_department ON items (department_code);

CREATE TABLE item_versions (
    item_code TEXT NOT NULL REFERENCES items(code),
    version BIGINT NOT NULL,
    definition TEXT NOT NULL,
    published_ms BIGINT NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (item_code, version)
);

CREATE TABLE window_items (
    window_code TEXT NOT NULL REFERENCES windows(code),
    item_code TEXT NOT NULL REFERENCES items(code),
    PRIMARY KEY (window_code, item_code)
);
CREATE INDEX window_items_item ON window_items (item_code);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    roles TEXT NOT NULL,
    department_code TEXT REFERENCES departments(code),
    window_code TEXT REFERENCES windows(code),
    public BIGINT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    region_code TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE applicants (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    phone_hash TEXT NOT NULL UNIQUE,
    phone_enc TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    id_hash TEXT UNIQUE,
    id_enc TEXT,
    id_masked TEXT,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);

CREATE TABLE verification_codes (
    phone_hash TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

CREATE TABLE calendar_days (
    region_code TEXT NOT NULL REFERENCES regions(code),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE case_sequences (
    region_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE cases (
    number TEXT PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    item_code TEXT NOT NULL REFERENCES items(code),
    item_version BIGINT NOT NULL,
    item_name TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments(code),
    applicant_id TEXT NOT NULL REFERENCES applicants(id),
    applicant_masked TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    hall_code TEXT,
    accepted_window TEXT,
    current_department TEXT,
    step_due_on TEXT,
    submitted_on TEXT,
    accepted_on TEXT,
    due_on TEXT,
    decided_on TEXT,
    finished_on TEXT,
    supplement_notices BIGINT NOT NULL,
    month TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
-- The inboxes: a department's steps and a hall's cases, by status and deadline; keyset on number.
CREATE INDEX cases_department_inbox ON cases (current_department, status, step_due_on, number);
CREATE INDEX cases_hall_inbox ON cases (hall_code, status, due_on, number);
CREATE INDEX cases_applicant ON cases (applicant_id, created_ms);
CREATE INDEX cases_region_status ON cases (region_code, status, due_on, number);
CREATE INDEX cases_item ON cases (item_code, status);

CREATE TABLE case_events (
    case_number TEXT NOT NULL REFERENCES cases(number),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    step BIGINT,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    window_code TEXT,
    at_ms BIGINT NOT NULL,
    public BIGINT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    region_code TEXT NOT NULL,
    PRIMARY KEY (case_number, seq)
);

-- Kept up to date in the transaction that changes a case, so dashboards never scan cases.
CREATE TABLE case_counts (
    region_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (region_code, department_code, month, status)
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL
);
