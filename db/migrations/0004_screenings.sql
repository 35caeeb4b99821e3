-- Critique project schema: a jury's screening results (critique-app screen).
-- One row per file content (SHA-256) and screening settings (trust setting, thresholds,
-- library snapshot, task version): running again with the same settings skips what is done.
-- The client is the only writer; each row is written in its own transaction as it arrives.
-- (Written as 0005 in the plan, numbered after the last migration on main at rebase time:
-- the loader needs numbers without gaps.)
CREATE TABLE screenings (
    sha256 TEXT NOT NULL,
    settings_key TEXT NOT NULL,
    path TEXT NOT NULL,                 -- where the file was when it was screened
    size INTEGER,
    mtime_ns INTEGER,                   -- with path and size: skip a file without hashing it
    sidecar TEXT,                       -- a .c2pa manifest paired with the file, if any
    rank INTEGER NOT NULL,              -- 0 first: what needs a human eye
    rank_reason TEXT NOT NULL,
    reason TEXT,                        -- the C2PA verdict reason (verify's)
    ai_signal TEXT,
    match_count INTEGER NOT NULL DEFAULT 0,
    problem TEXT,
    result_json TEXT NOT NULL,          -- the task's whole result, as it came back
    screened_at TEXT NOT NULL,
    PRIMARY KEY (sha256, settings_key)
);
CREATE INDEX screenings_path ON screenings(path, size, mtime_ns, settings_key);
CREATE INDEX screenings_rank ON screenings(settings_key, rank, path);

-- Every path screened with given settings and what content it held then: a later run skips
-- these files without reading them, and two names for the same content are both known.
CREATE TABLE screening_paths (
    path TEXT NOT NULL,
    settings_key TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (path, settings_key)
);
