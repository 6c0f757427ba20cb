-- The working days a region's open deadlines were last derived on, as a digest. The server
-- derives every open deadline again at start only when its calendar's working days differ (the
-- national holiday data changed with an upgrade, or a calendar edit's recomputation failed):
-- at ten million cases that takes minutes, which every start would otherwise spend.
ALTER TABLE regions ADD COLUMN deadline_calendar TEXT;
