-- The kind of a case's current back-office step (review, verify, decide), kept beside its
-- department and assignee so the inbox says where each case stands and whose turn it is without
-- reading the case's state. Cases stored before have none until their next change: a portable
-- backfill would have to read the state's JSON, which the two engines spell differently.
ALTER TABLE cases ADD COLUMN step_kind TEXT
