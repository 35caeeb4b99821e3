"""The only package that imports PyQt6: windows, panels, models, actions."""
