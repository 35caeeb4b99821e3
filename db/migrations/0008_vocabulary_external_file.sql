-- Critique project schema, version 8.
-- An ELAN controlled vocabulary may keep its entries in an external file (.ecv, named by an
-- EXTERNAL_REF): the file it names is kept with the vocabulary, so an EAF export refers to
-- it again instead of leaving an empty vocabulary that ELAN can no longer fill.

ALTER TABLE vocabularies ADD COLUMN external_file TEXT;
