-- Inbox pages are sorted by deadline, cases without one last: ORDER BY COALESCE(due, '9999-12-31'),
-- number (cases.rs, list_cases). An index on exactly that expression lets both engines read a page
-- in order and stop after it, instead of sorting every case of the scope (measured by `make bench`,
-- S4: the whole-centre page sorted a million rows; S5: a clerk's hall page took 20 s on PostgreSQL).
CREATE INDEX cases_department_deadline ON cases (current_department, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_assignee_deadline ON cases (current_department, assignee, (COALESCE(step_due_on, '9999-12-31')), number);
CREATE INDEX cases_centre_deadline ON cases ((COALESCE(due_on, '9999-12-31')), number);
CREATE INDEX cases_hall_deadline ON cases (hall_code, (COALESCE(due_on, '9999-12-31')), number);
