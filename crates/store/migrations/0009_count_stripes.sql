-- The kept counts of cases by department, month and status, in stripes. Every change of status
-- added to one row per department, month and status, and on PostgreSQL, where writes run
-- concurrently, each write held that row's lock until its commit was on disk, so every
-- department's writes queued one behind the other (`make bench`, S1: the most common wait in
-- pg_stat_activity after the case sequence's, Lock:transactionid on case_counts). A write now
-- adds to one of several stripes of the cell, chosen by its case's number (always stripe 0 on
-- SQLite, whose one writer queues the writes anyway); readers add the stripes up.
CREATE TABLE case_count_stripes (
    region_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    stripe INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (region_code, department_code, month, status, stripe)
);
INSERT INTO case_count_stripes (region_code, department_code, month, status, stripe, count)
    SELECT region_code, department_code, month, status, 0, count FROM case_counts;
DROP TABLE case_counts;
ALTER TABLE case_count_stripes RENAME TO case_counts;
