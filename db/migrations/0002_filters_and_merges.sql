-- Critique project schema, version 2.
-- Indexes for the annotation table's filters so that filtering 100,000 annotations stays
-- interactive, and a record of every project merged into this one so a teacher sees what came
-- in, from whom, and is warned before merging the same file twice.

-- The listing order (film, frame) with every filter column: a filter that keeps many rows
-- (status has three values) is answered from this index alone, already sorted, without
-- touching the table. It replaces annotations_film, its prefix.
DROP INDEX annotations_film;
CREATE INDEX annotations_listing
    ON annotations(film_id, start_frame, id, tier_id, category_id, author, status);
-- Selective filters (one author, one category) go straight to their rows.
CREATE INDEX annotations_author ON annotations(author);
CREATE INDEX annotations_category ON annotations(category_id);
CREATE INDEX annotations_conflict ON annotations(conflict_of) WHERE conflict_of IS NOT NULL;
CREATE INDEX relations_target ON relations(target_id);
CREATE INDEX regions_annotation ON regions(annotation_id);
CREATE INDEX categories_parent ON categories(parent_id);

CREATE TABLE merges (
    id INTEGER PRIMARY KEY,
    source_path TEXT NOT NULL,          -- the student's project file as given
    source_sha256 TEXT NOT NULL,        -- of that file when merged
    authors TEXT NOT NULL DEFAULT '',   -- authors found in it, comma separated
    summary_json TEXT NOT NULL,         -- the counts the merge reported
    merged_at TEXT NOT NULL
);
CREATE INDEX merges_source ON merges(source_sha256);
