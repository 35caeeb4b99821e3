-- Critique project schema, version 12.
-- Library items keep how many of their frames are too plain for their copies to be found
-- (a smooth gradient, a flat wash of colour: the least noise turns as many pHash bits as a
-- match allows), so that a match that finds nothing names the items it could not have found
-- (issue 24). NULL: added before it was measured; nothing is said about those.

ALTER TABLE library_items ADD COLUMN plain_frames INTEGER;
