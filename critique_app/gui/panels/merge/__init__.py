"""Merging a student's project into this one."""
