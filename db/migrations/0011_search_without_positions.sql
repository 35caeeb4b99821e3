-- Critique project schema, version 11.
-- The search index keeps which column a word is in, not where in it (FTS5 detail=column):
-- searches ask for words and beginnings of words, never phrases, and an import writes a
-- smaller index (issue 23). The table is rebuilt with the same columns, prefixes and
-- triggers, keeping every row.

DROP TRIGGER annotations_fts_insert;
DROP TRIGGER annotations_fts_note;
DROP TRIGGER annotations_fts_delete;
DROP TRIGGER annotation_tags_fts_insert;
DROP TRIGGER annotation_tags_fts_delete;
DROP TABLE annotations_fts;

CREATE VIRTUAL TABLE annotations_fts USING fts5(note, tags, value, tokenize='unicode61 remove_diacritics 2', prefix='1 2', detail=column);
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
