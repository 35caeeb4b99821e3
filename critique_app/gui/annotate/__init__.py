"""Annotating: the table, the editor, regions on the picture, vocabularies, and annotations
kept on their frames when a film changes."""
