"""View ▸ Lenses: aids to look measured over a passage or a film, drawn over the picture and the
timeline."""
