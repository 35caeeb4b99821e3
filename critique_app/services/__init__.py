"""Use-cases shared by the command line and the GUI; long ones take progress and cancel."""
