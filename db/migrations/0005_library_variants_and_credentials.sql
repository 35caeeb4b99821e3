-- Critique project schema, version 5.
-- Library items keep, beside their per-frame pHash, the hashes of the same frames as copies
-- alter them (centre crops, computed once when the item is added), and the summary of the
-- Content Credentials the added file carried, so a copy stripped of its manifest can be
-- traced back to the signed original by its pictures.

ALTER TABLE library_items ADD COLUMN variant_hashes BLOB;   -- K x N pHash uint64, row by row
ALTER TABLE library_items ADD COLUMN variant_names TEXT;    -- JSON list of the K variant names
ALTER TABLE library_items ADD COLUMN credentials_json TEXT; -- verify summary (NULL: none found)
