"""Provenance ▸ Move annotations onto another copy of the film."""
