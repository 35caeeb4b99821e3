"""Panels ▸ Agreement: where annotators differ on a class."""
