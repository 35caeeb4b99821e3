"""File ▸ Screen a folder… and the Screening panel."""
