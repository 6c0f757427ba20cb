-- The number citizens call about how a site's staff served them (监督电话): shown on the public
-- staff board beside each person's staff number, and in the page footer.
ALTER TABLE sites ADD COLUMN supervision_phone TEXT
