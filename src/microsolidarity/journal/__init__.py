"""The self scale: a private parts journal, encrypted at rest, readable by its author alone."""
