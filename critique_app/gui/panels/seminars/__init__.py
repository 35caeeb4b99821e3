"""The Seminars panel: passages gathered from several films, with prompts."""
