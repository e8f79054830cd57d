"""Participation pages: contributions, volunteering, the bookshelf."""
