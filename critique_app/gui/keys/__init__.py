"""The window's keys beyond the action table: where a single key is a command (focus rules),
the menus' Alt letters and the Help menu with the sheet of shortcuts."""
