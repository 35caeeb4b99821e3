"""The Matches panel: the film's frames found in the reference library."""
