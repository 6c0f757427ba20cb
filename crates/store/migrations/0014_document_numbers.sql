-- Decisions are numbered (文号) per department and year, after the department's pattern; a
-- department without one is numbered from its short name. Staff get a staff number (工号), shown
-- on the public board and on the documents they issue; existing accounts are numbered in the
-- order of their usernames.
ALTER TABLE departments ADD COLUMN document_pattern TEXT;
CREATE TABLE document_sequences (
    department_code TEXT NOT NULL REFERENCES departments(code),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (department_code, year)
);
ALTER TABLE staff ADD COLUMN staff_number BIGINT;
UPDATE staff SET staff_number = (SELECT COUNT(*) FROM staff s WHERE s.username <= staff.username);
CREATE UNIQUE INDEX staff_numbers ON staff (staff_number)
