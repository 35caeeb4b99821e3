"""C2PA reading and trust, plain metadata, the AI-signal rubric, the reference library and matching."""
