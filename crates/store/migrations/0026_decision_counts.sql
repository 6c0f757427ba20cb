-- The kept counts of decisions by department, month of registration and whether the chief
-- representative decided at the window: written in the transaction of the decision, so the
-- delegation figures never count events. Striped as case_counts is (ADR 0020).
CREATE TABLE decision_counts (
    region_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    month TEXT NOT NULL,
    at_window INTEGER NOT NULL,
    stripe INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (region_code, department_code, month, at_window, stripe)
);
INSERT INTO decision_counts (region_code, department_code, month, at_window, stripe, count)
    SELECT c.region_code, c.department_code, c.month,
           CASE WHEN e.actor_role = 'chief_representative' THEN 1 ELSE 0 END, 0, COUNT(*)
    FROM case_events e JOIN cases c ON c.number = e.case_number
    WHERE e.kind = 'decided'
    GROUP BY c.region_code, c.department_code, c.month,
             CASE WHEN e.actor_role = 'chief_representative' THEN 1 ELSE 0 END;
