"""The Provenance panel: the film's Content Credentials, metadata and AI signals."""
