-- The submitted cases of an item, by deadline. On PostgreSQL a hall's inbox reads a page of
-- them per item its windows may accept and merges the pages (cases.rs, waiting_branch), a plan
-- that no statistics can turn into a crossing of the status and item indexes. Partial, so it
-- holds only the cases waiting at a window. SQLite's planner reads the status index in order
-- instead; there the index costs one entry per waiting case.
CREATE INDEX cases_waiting_deadline ON cases (item_code, (COALESCE(due_on, '9999-12-31')), number) WHERE status = 'submitted';
