-- Item drafts: the centre admin's work on an item's next version, one draft per item. A draft is
-- not an item yet: a new item has no row in `items` until its draft is published, so the code
-- carries no foreign key. Publishing copies the definition into `item_versions` and deletes the
-- draft, in one transaction.

CREATE TABLE item_drafts (
    item_code TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    based_on_version BIGINT,
    updated_ms BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
