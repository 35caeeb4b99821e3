"""Video through PyAV/FFmpeg: probe, exact frame server, fingerprints, shots, clip cutting."""
