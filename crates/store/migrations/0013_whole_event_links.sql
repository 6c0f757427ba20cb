-- A case event's hash covers every stored field since ADR 0019; those stored before were hashed
-- over chain, sequence, kind, actor, time and payload. Each case's older events keep their links
-- as they are (re-chaining them would erase what the chain proves), and verification reads
-- events 1 to `last_seq` of the case in the partial format.
CREATE TABLE partial_event_links (
    case_number TEXT PRIMARY KEY REFERENCES cases(number),
    last_seq BIGINT NOT NULL
);
INSERT INTO partial_event_links (case_number, last_seq)
    SELECT number, event_count FROM cases WHERE event_count > 0;
