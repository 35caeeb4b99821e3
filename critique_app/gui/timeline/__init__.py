"""The timeline under the picture: tiers, annotations, marks, thumbnails and density lanes."""
