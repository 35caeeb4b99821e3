"""Playing a film in the window: the controller over the engines, exact frames fetched off
the GUI thread, the picture and the transport bar."""
