"""The one error a user can act on: a plain sentence, never a traceback.

Anything else that escapes is a bug and is reported with the log file path.
"""


class UserError(Exception):
    """A problem the user can fix (unreadable file, missing codec, bad value).

    `str(err)` is a complete sentence that names the file and the problem.
    """


class Cancelled(Exception):
    """Long work stopped because the user pressed Cancel."""
