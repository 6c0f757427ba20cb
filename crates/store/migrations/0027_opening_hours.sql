-- Each hall's weekly opening hours (ADR 0041), as the domain's JSON: the working day's sessions,
-- the weekday extensions and the weekend's. A hall without a row has published none.
CREATE TABLE opening_hours (
    hall_code TEXT PRIMARY KEY REFERENCES halls(code),
    hours TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
