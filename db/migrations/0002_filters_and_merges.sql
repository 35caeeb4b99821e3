-- Critique project schema, version 2.
-- Indexes for the annotation table's filters (author, category, status) so that filtering
-- 100,000 annotations stays interactive, and a record of every project merged into this one
-- so a teacher sees what came in, from whom, and is warned before merging the same file twice.

CREATE INDEX annotations_author ON annotations(author);
CREATE INDEX annotations_category ON annotations(category_id);
CREATE INDEX annotations_status ON annotations(status);
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
