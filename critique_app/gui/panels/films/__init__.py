"""The Films panel: the project's films, added, removed, relinked, opened."""
