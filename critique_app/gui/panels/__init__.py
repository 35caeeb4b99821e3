"""The window's docked panels, one sub-package per feature."""
