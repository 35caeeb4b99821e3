"""File ▸ Export annotations…: the film on screen's annotations, in any export format."""
