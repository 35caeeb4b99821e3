"""PyInstaller runtime hook (build.spec): runs in the frozen app before any of its code.

On Linux the bundle's bootloader points LD_LIBRARY_PATH at the bundle's own libraries so the
app finds them. Programs the app starts (a browser for an HTML handout, VLC for a playlist,
xdg-open) would inherit that and load the bundle's libraries instead of their own, which can
crash them; so the user's original value is put back for child processes. This process keeps
its libraries: the dynamic linker read the variable once, at start. The app's own children
(the provenance reader, multiprocessing workers) are the bundle's executable again, whose
bootloader sets the variable afresh.
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
