-- Critique project schema, version 1.
-- Frame indices are the truth (0-based, presentation order); PTS kept as exact fractions.
-- 64-bit hashes are stored as BLOBs of little-endian uint64 arrays (SQLite INTEGER is signed).

CREATE TABLE films (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    path TEXT NOT NULL,                 -- last known location (absolute)
    sha256 TEXT NOT NULL,               -- content identity: a moved film is found again by this
    size INTEGER NOT NULL,
    container TEXT, codec TEXT,
    width INTEGER, height INTEGER, rotation INTEGER DEFAULT 0,
    rate_num INTEGER NOT NULL, rate_den INTEGER NOT NULL,
    frame_count INTEGER NOT NULL,
    duration REAL,
    start_timecode TEXT,                -- e.g. '01:00:00:00' from the file's metadata
    drop_frame INTEGER NOT NULL DEFAULT 0,
    vfr INTEGER NOT NULL DEFAULT 0,
    has_audio INTEGER NOT NULL DEFAULT 0,
    probe_json TEXT,                    -- the full probe, for later re-checks
    added_at TEXT NOT NULL
);
CREATE INDEX films_sha256 ON films(sha256);

CREATE TABLE tiers (                    -- ELAN-style: per author or per theme, project-wide
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    author TEXT,
    color TEXT NOT NULL DEFAULT '#4f8cc9',
    visible INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE vocabularies (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,           -- e.g. 'ai-visual-regimes'
    name TEXT NOT NULL,
    version TEXT,
    description TEXT,
    source_json TEXT                    -- the file as imported, for export round trips
);

CREATE TABLE categories (               -- levels -> types -> values, as in the AdA ontology
    id INTEGER PRIMARY KEY,
    vocabulary_id INTEGER NOT NULL REFERENCES vocabularies(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES categories(id) ON DELETE CASCADE,
    key TEXT NOT NULL,                  -- stable id, e.g. 'temporal.identity-drift'
    label_en TEXT NOT NULL, label_fr TEXT,
    definition_en TEXT, definition_fr TEXT,
    color TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (vocabulary_id, key)
);

CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,          -- stable across merges of project files
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    tier_id INTEGER NOT NULL REFERENCES tiers(id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    start_frame INTEGER NOT NULL,       -- inclusive
    end_frame INTEGER NOT NULL,         -- inclusive; = start_frame for a single-frame annotation
    start_pts_num INTEGER, start_pts_den INTEGER,
    end_pts_num INTEGER, end_pts_den INTEGER,
    note TEXT NOT NULL DEFAULT '',      -- Markdown
    status TEXT NOT NULL DEFAULT 'observed' CHECK (status IN ('declared', 'observed', 'contested')),
    confidence TEXT NOT NULL DEFAULT 'medium' CHECK (confidence IN ('low', 'medium', 'high')),
    evidence TEXT,                      -- e.g. 'visual inference', 'C2PA', 'perceptual match'
    author TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    anchor_hashes BLOB,                 -- pHash of first, middle, last frame (3 x uint64)
    conflict_of TEXT,                   -- uuid of the annotation this one conflicts with after a merge
    CHECK (end_frame >= start_frame)
);
CREATE INDEX annotations_film ON annotations(film_id, start_frame);
CREATE INDEX annotations_tier ON annotations(tier_id);

CREATE TABLE annotation_tags (
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (annotation_id, tag)
);
CREATE INDEX annotation_tags_tag ON annotation_tags(tag);

CREATE TABLE regions (                  -- coordinates normalised 0..1, keyframed over the range
    id INTEGER PRIMARY KEY,
    annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    shape TEXT NOT NULL CHECK (shape IN ('rectangle', 'ellipse', 'polygon', 'freehand')),
    keyframes_json TEXT NOT NULL,       -- [{"frame": N, "points": [[x, y], ...]}, ...]
    label TEXT
);

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- 'counter-reading of', 'same generator as', 'continues', ...
    UNIQUE (source_id, target_id, kind)
);

CREATE TABLE markers (                  -- plain timeline markers (M key), not annotations
    id INTEGER PRIMARY KEY,
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    frame INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    color TEXT
);

CREATE TABLE provenance_reports (
    id INTEGER PRIMARY KEY,
    film_id INTEGER REFERENCES films(id) ON DELETE CASCADE,   -- NULL for a still
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    state TEXT, reason TEXT, ai_signal TEXT, trust_list TEXT,
    tool_versions_json TEXT NOT NULL,   -- c2pa-python, c2pa-rs, critique
    trust_dates_json TEXT NOT NULL,     -- which trust lists, dated
    report_json TEXT NOT NULL           -- the whole report as `verify --json` prints it
);
CREATE INDEX provenance_reports_sha ON provenance_reports(sha256);

CREATE TABLE fingerprints (             -- one row per film and hash kind; arrays in BLOBs
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- 'phash', 'dhash', 'phash_mirror'
    step INTEGER NOT NULL DEFAULT 1,    -- every Nth frame
    frame_count INTEGER NOT NULL,       -- frames hashed so far (resume from here)
    complete INTEGER NOT NULL DEFAULT 0,
    crop_json TEXT,                     -- letterbox/pillarbox bars removed: [x, y, w, h]
    hashes BLOB NOT NULL,               -- uint64 little-endian, one per sampled frame
    updated_at TEXT NOT NULL,
    PRIMARY KEY (film_id, kind)
);

CREATE TABLE shots (
    film_id INTEGER PRIMARY KEY REFERENCES films(id) ON DELETE CASCADE,
    cuts_json TEXT NOT NULL,            -- first frame of every shot after the first
    method TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE thumbnails (
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    frame INTEGER NOT NULL,
    height INTEGER NOT NULL,
    image BLOB NOT NULL,                -- JPEG
    PRIMARY KEY (film_id, frame, height)
);

CREATE TABLE library_items (            -- reference material: known AI-generated stills and clips
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    source_note TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('still', 'clip')),
    frame_count INTEGER NOT NULL,
    rate_num INTEGER, rate_den INTEGER,
    hashes BLOB NOT NULL,               -- pHash uint64 per frame
    added_at TEXT NOT NULL
);

CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    library_item_id INTEGER NOT NULL REFERENCES library_items(id) ON DELETE CASCADE,
    start_frame INTEGER NOT NULL, end_frame INTEGER NOT NULL,
    item_start INTEGER NOT NULL, item_end INTEGER NOT NULL,
    median_distance REAL NOT NULL, worst_distance INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    variant TEXT NOT NULL DEFAULT 'plain',  -- 'plain' or 'mirror'
    found_at TEXT NOT NULL
);
CREATE INDEX matches_film ON matches(film_id, start_frame);

CREATE TABLE seminars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE seminar_items (
    id INTEGER PRIMARY KEY,
    seminar_id INTEGER NOT NULL REFERENCES seminars(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    start_frame INTEGER NOT NULL, end_frame INTEGER NOT NULL,
    prompt TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX seminar_items_order ON seminar_items(seminar_id, position);

CREATE TABLE settings (                 -- per-project settings (last frame, display mode...)
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Full-text search over notes and tags (rowid = annotations.id), kept in sync by triggers.
-- An ordinary (not contentless) FTS5 table, so rows can be updated and deleted by rowid.
CREATE VIRTUAL TABLE annotations_fts USING fts5(note, tags, tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
    INSERT INTO annotations_fts(rowid, note, tags) VALUES (new.id, new.note, '');
END;
CREATE TRIGGER annotations_fts_note AFTER UPDATE OF note ON annotations BEGIN
    UPDATE annotations_fts SET note = new.note WHERE rowid = new.id;
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
