-- Critique project schema, version 7.
-- Fingerprints were one BLOB per film and kind, grown by `hashes || ?`: SQLite rewrites the
-- whole value on every flush, so a 10-hour film's pass spent 724 ms a flush at the end.
-- Each flush now adds one row per kind (its first frame and its values): appending costs
-- the same at frame 800,000 as at frame 0. `fingerprints` keeps one row per film and kind
-- saying how far the work got (frame_count), the step, the crop and whether it is complete.

CREATE TABLE fingerprint_chunks (
    film_id INTEGER NOT NULL REFERENCES films(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    first_frame INTEGER NOT NULL,       -- index (in sampled frames) of the chunk's first value
    hashes BLOB NOT NULL,               -- uint64 little-endian, one per sampled frame
    UNIQUE (film_id, kind, first_frame)
);

-- A count the BLOB cannot back (a damaged file) would promise hashes that are not there.
UPDATE fingerprints SET frame_count = length(hashes) / 8 WHERE length(hashes) / 8 < frame_count;

-- Each earlier BLOB becomes the film's first chunk, whole: not one hash is lost.
INSERT INTO fingerprint_chunks (film_id, kind, first_frame, hashes)
    SELECT film_id, kind, 0, substr(hashes, 1, frame_count * 8)
    FROM fingerprints WHERE frame_count > 0;

ALTER TABLE fingerprints DROP COLUMN hashes;
