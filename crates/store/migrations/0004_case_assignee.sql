-- The assignee (指派) of a case's current step, kept beside the step's department and deadline so
-- "my inbox" and "not yet assigned" are index ranges. NULL: nobody was assigned, which is true
-- of every case stored before this migration (assignment did not exist), so nothing to backfill.
ALTER TABLE cases ADD COLUMN assignee TEXT;
CREATE INDEX cases_assignee_inbox ON cases (current_department, assignee, status, step_due_on, number);
