-- Inbox pages with a status or an item (the acceptance desk's submitted cases, an approver's
-- cases in progress, a supervisor's tab or item filter) are read in deadline order too. The
-- indexes of 0001 and 0004 on status and item ordered by the bare due date or not at all, and
-- no page sorts by either since 0007, so such a page sorted every case of its scope and status.
-- Each is replaced by the same columns in the pages' order, and the index on (region, status),
-- which no query reads, by one on status alone: submitted cases belong to no hall yet, and
-- every window reads them in number order. (`make bench`, S5: with (item, status) indexed,
-- PostgreSQL, its statistics taken before S2 submitted 50,000 cases, gathered a window's
-- waiting cases item by item and sorted 15,000 of them, 55 ms a poll at a million cases, until
-- the polls of 200 staff queued for minutes. Read in order they take 0.1 ms.)
DROP INDEX cases_department_inbox;
DROP INDEX cases_assignee_inbox;
DROP INDEX cases_hall_inbox;
DROP INDEX cases_region_status;
DROP INDEX cases_item;
CREATE INDEX cases_department_status_deadline ON cases (current_department, status, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_assignee_status_deadline ON cases (current_department, assignee, status, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_hall_status_deadline ON cases (hall_code, status, (COALESCE(due_on, '9999-12-31')), number);
CREATE INDEX cases_status_deadline ON cases (status, (COALESCE(due_on, '9999-12-31')), number);
CREATE INDEX cases_item_deadline ON cases (item_code, (COALESCE(due_on, '9999-12-31')), number);
