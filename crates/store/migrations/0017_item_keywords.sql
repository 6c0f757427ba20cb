-- The words people use for an item besides its name (就业证, 餐饮, 营业执照, 失业登记), kept with
-- the item's row so that the catalogue search finds them as it finds the name and the code. Set
-- from the definition on each publication; items published before have none until the next.
ALTER TABLE items ADD COLUMN keywords TEXT NOT NULL DEFAULT ''
