-- Electronic supervision (docs/adr/0011-supervision-pass.md). Each case keeps the light of its
-- overall deadline (green / yellow / red; NULL while no clock runs: not accepted, decided,
-- finished), so a supervision pass finds the cases whose light must change as index ranges of
-- (light, due_on) instead of computing every open case's light.
ALTER TABLE cases ADD COLUMN light TEXT;
-- The deadline inputs, so that a calendar change derives the due dates again by groups of equal
-- (start, limit) without reading each case's state: the case's promised limit, the current
-- step's start and limit while the back office holds it, and how many clock stops the case has
-- had (with any, the stopped days count, and the state is read).
ALTER TABLE cases ADD COLUMN promised_days BIGINT;
ALTER TABLE cases ADD COLUMN step_started_on TEXT;
ALTER TABLE cases ADD COLUMN step_limit_days BIGINT;
ALTER TABLE cases ADD COLUMN clock_stops BIGINT;
-- The day the due dates were derived, kept while they go stale day by day: a stopped clock moves
-- its case's due dates on by each stopped working day, and the pass derives them again on the
-- next day. NULL otherwise.
ALTER TABLE cases ADD COLUMN deadline_as_of TEXT;

-- One index on the open cases serves the pass and a calendar change. The pass reads ranges of
-- (light, due_on) (the domain's stale ranges); a calendar change reads the groups of equal
-- deadline inputs from the index alone and updates each group through it. Nothing else about
-- supervision is indexed, so a change of light rewrites one index entry besides the row.
CREATE INDEX cases_light ON cases (region_code, light, due_on, clock_stops, accepted_on, promised_days, step_started_on, step_limit_days, step_due_on) WHERE light IS NOT NULL;
-- Stopped clocks whose due dates the pass derives again each day.
CREATE INDEX cases_deadline_as_of ON cases (region_code, deadline_as_of) WHERE deadline_as_of IS NOT NULL;

-- Cases stored before this migration have no light yet: the first pass derives every new column
-- of the open accepted ones from their state, as it does for stopped clocks, and sets their light.
UPDATE cases SET deadline_as_of = '0001-01-01'
WHERE status IN ('in_progress', 'suspended', 'awaiting_supplement') AND accepted_on IS NOT NULL
