-- Critique project schema, version 10.
-- A fingerprint chunk is now as wide as its largest value needs: 8 bytes a frame for a
-- picture's hash, 2 or 4 for a measure, none when every value is 0 (an inset or a split
-- screen's panel that the chunk's frames do not show). A 10-hour film's pass writes less
-- than half the bytes it did, and bytes are what a flush costs (in WAL mode SQLite writes
-- each page twice). A chunk now says how many frames it holds, so that its width follows
-- from its length and a gap between chunks is still found; chunks stored before have no
-- count (NULL): they are all 8 bytes wide and read as they are.

ALTER TABLE fingerprint_chunks ADD COLUMN frames INTEGER;
