"""View ▸ Instability lens: aids to look measured over a passage, drawn over the picture."""
