"""Critique: annotate and critique AI-generated sequences in films, frame by frame."""

__version__ = "0.1.0"
