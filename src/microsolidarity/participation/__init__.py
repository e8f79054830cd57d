"""Participation: contributions, volunteering and the lending bookshelf."""
