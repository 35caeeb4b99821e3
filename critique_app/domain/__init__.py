"""Plain Python, no Qt and no I/O: timecode, the annotation model, vocabularies, undoable edits."""
