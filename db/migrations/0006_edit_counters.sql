-- Critique project schema, version 6.
-- Several processes share a project: the window, a command run in a terminal, screening
-- workers. SQLite's PRAGMA data_version tells a connection that another one committed, not
-- what. These counters say what, by topic, so the window re-reads only the panels concerned
-- (annotations: table, timeline, agreement; structure: films, tiers, vocabularies, seminars;
-- library: matches; screening: the screening table).

CREATE TABLE edit_counters (
    topic TEXT PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);

INSERT INTO edit_counters (topic, n) VALUES ('annotations', 0);
INSERT INTO edit_counters (topic, n) VALUES ('structure', 0);
INSERT INTO edit_counters (topic, n) VALUES ('library', 0);
INSERT INTO edit_counters (topic, n) VALUES ('screening', 0);

CREATE TRIGGER count_annotations_insert AFTER INSERT ON annotations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_annotations_update AFTER UPDATE ON annotations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_annotations_delete AFTER DELETE ON annotations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_annotation_tags_insert AFTER INSERT ON annotation_tags BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_annotation_tags_update AFTER UPDATE ON annotation_tags BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_annotation_tags_delete AFTER DELETE ON annotation_tags BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_regions_insert AFTER INSERT ON regions BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_regions_update AFTER UPDATE ON regions BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_regions_delete AFTER DELETE ON regions BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_relations_insert AFTER INSERT ON relations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_relations_update AFTER UPDATE ON relations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_relations_delete AFTER DELETE ON relations BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_markers_insert AFTER INSERT ON markers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_markers_update AFTER UPDATE ON markers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_markers_delete AFTER DELETE ON markers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'annotations';
END;
CREATE TRIGGER count_films_insert AFTER INSERT ON films BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_films_update AFTER UPDATE ON films BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_films_delete AFTER DELETE ON films BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_tiers_insert AFTER INSERT ON tiers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_tiers_update AFTER UPDATE ON tiers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_tiers_delete AFTER DELETE ON tiers BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_vocabularies_insert AFTER INSERT ON vocabularies BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_vocabularies_update AFTER UPDATE ON vocabularies BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_vocabularies_delete AFTER DELETE ON vocabularies BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_categories_insert AFTER INSERT ON categories BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_categories_update AFTER UPDATE ON categories BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_categories_delete AFTER DELETE ON categories BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminars_insert AFTER INSERT ON seminars BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminars_update AFTER UPDATE ON seminars BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminars_delete AFTER DELETE ON seminars BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminar_items_insert AFTER INSERT ON seminar_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminar_items_update AFTER UPDATE ON seminar_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_seminar_items_delete AFTER DELETE ON seminar_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'structure';
END;
CREATE TRIGGER count_library_items_insert AFTER INSERT ON library_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_library_items_update AFTER UPDATE ON library_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_library_items_delete AFTER DELETE ON library_items BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_matches_insert AFTER INSERT ON matches BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_matches_update AFTER UPDATE ON matches BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_matches_delete AFTER DELETE ON matches BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'library';
END;
CREATE TRIGGER count_screenings_insert AFTER INSERT ON screenings BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
CREATE TRIGGER count_screenings_update AFTER UPDATE ON screenings BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
CREATE TRIGGER count_screenings_delete AFTER DELETE ON screenings BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
CREATE TRIGGER count_screening_paths_insert AFTER INSERT ON screening_paths BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
CREATE TRIGGER count_screening_paths_update AFTER UPDATE ON screening_paths BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
CREATE TRIGGER count_screening_paths_delete AFTER DELETE ON screening_paths BEGIN
    UPDATE edit_counters SET n = n + 1 WHERE topic = 'screening';
END;
