"""Plain resource files (vocabularies, trust lists, templates, icons); see critique_app.paths."""
