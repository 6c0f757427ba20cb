-- Inbox pages with a status (the acceptance desk's submitted cases, an approver's cases in
-- progress, a supervisor's tab) are read in deadline order too: the status indexes of 0001 and
-- 0004 ordered by the bare due date, which no page sorts by since 0007, so a page with a status
-- sorted every case of its scope and status. Each is replaced by the same columns in the pages'
-- order, and the index on (region, status), which no query reads, by one on status alone:
-- submitted cases belong to no hall yet, and every window's acceptance desk reads them
-- (`make bench`, S5: the hall page's waiting branch sorted 15,000 submitted cases on
-- PostgreSQL, 213 ms a poll at a million cases).
DROP INDEX cases_department_inbox;
DROP INDEX cases_assignee_inbox;
DROP INDEX cases_hall_inbox;
DROP INDEX cases_region_status;
CREATE INDEX cases_department_status_deadline ON cases (current_department, status, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_assignee_status_deadline ON cases (current_department, assignee, status, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_hall_status_deadline ON cases (hall_code, status, (COALESCE(due_on, '9999-12-31')), number);
CREATE INDEX cases_status_deadline ON cases (status, (COALESCE(due_on, '9999-12-31')), number);
