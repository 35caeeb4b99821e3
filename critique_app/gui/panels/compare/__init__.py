"""View ▸ Compare with…: two copies of a film side by side, frame for frame."""
