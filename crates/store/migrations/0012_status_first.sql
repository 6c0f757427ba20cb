-- Inbox pages without a status are read one status at a time and merged by deadline (cases.rs,
-- page_statuses; ADR 0016), from the indexes of 0008 that begin with the scope and the status.
-- The indexes of 0007 on the scope alone served only those pages, and every change of a case's
-- status, step or deadline wrote an entry into each of them: four of the thirteen entries a
-- transition writes, and a quarter of the index builds of `seed volume`.
DROP INDEX cases_department_deadline;
DROP INDEX cases_assignee_deadline;
DROP INDEX cases_centre_deadline;
DROP INDEX cases_hall_deadline;
