"""`python -m critique_app` is the same as the `critique-app` command."""

import sys

from critique_app.cli import main

sys.exit(main())
