"""Projects as SQLite files through sqlite-utils: connection, migrations, repository."""
