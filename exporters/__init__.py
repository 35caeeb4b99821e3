"""One module per export format, behind a registry."""
