"""Playback engines behind one protocol: VLC, exact-frame (PyAV) and a fake clock for tests."""
