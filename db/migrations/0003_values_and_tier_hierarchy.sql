-- Critique project schema, version 3.
-- An annotation's value (the text an annotator wrote, as in ELAN, apart from category and
-- note), the link of a child annotation to its parent (by uuid, stable across merges and
-- exports), and ELAN's tier hierarchy: parent tier, linguistic type, constraint and the
-- controlled vocabulary the tier's type uses. Values are searchable: the FTS table is rebuilt
-- with a value column, keeping every existing row.

ALTER TABLE annotations ADD COLUMN value TEXT NOT NULL DEFAULT '';
ALTER TABLE annotations ADD COLUMN parent_uuid TEXT;   -- uuid of the parent annotation (ELAN REF_ANNOTATION)
CREATE INDEX annotations_parent ON annotations(parent_uuid) WHERE parent_uuid IS NOT NULL;

ALTER TABLE tiers ADD COLUMN parent_id INTEGER REFERENCES tiers(id) ON DELETE SET NULL;
ALTER TABLE tiers ADD COLUMN linguistic_type TEXT;    -- ELAN LINGUISTIC_TYPE_ID
ALTER TABLE tiers ADD COLUMN constraint_kind TEXT;    -- Symbolic_Association, Symbolic_Subdivision, Time_Subdivision, Included_In
ALTER TABLE tiers ADD COLUMN vocabulary_key TEXT;     -- the controlled vocabulary of the tier's type

DROP TRIGGER annotations_fts_insert;
DROP TRIGGER annotations_fts_note;
DROP TRIGGER annotations_fts_delete;
DROP TRIGGER annotation_tags_fts_insert;
DROP TRIGGER annotation_tags_fts_delete;
DROP TABLE annotations_fts;

CREATE VIRTUAL TABLE annotations_fts USING fts5(note, tags, value, tokenize='unicode61 remove_diacritics 2');
INSERT INTO annotations_fts (rowid, note, tags, value)
    SELECT a.id, a.note,
           (SELECT coalesce(group_concat(tag, ' '), '') FROM annotation_tags WHERE annotation_id = a.id),
           a.value
    FROM annotations a;

CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
    INSERT INTO annotations_fts(rowid, note, tags, value) VALUES (new.id, new.note, '', new.value);
END;
CREATE TRIGGER annotations_fts_note AFTER UPDATE OF note, value ON annotations BEGIN
    UPDATE annotations_fts SET note = new.note, value = new.value WHERE rowid = new.id;
END;
CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations BEGIN
    DELETE FROM annotations_fts WHERE rowid = old.id;
END;
CREATE TRIGGER annotation_tags_fts_insert AFTER INSERT ON annotation_tags BEGIN
    UPDATE annotations_fts
    SET tags = (SELECT coalesce(group_concat(tag, ' '), '') FROM annotation_tags
                WHERE annotation_id = new.annotation_id)
    WHERE rowid = new.annotation_id;
END;
CREATE TRIGGER annotation_tags_fts_delete AFTER DELETE ON annotation_tags BEGIN
    UPDATE annotations_fts
    SET tags = (SELECT coalesce(group_concat(tag, ' '), '') FROM annotation_tags
                WHERE annotation_id = old.annotation_id)
    WHERE rowid = old.annotation_id;
END;
