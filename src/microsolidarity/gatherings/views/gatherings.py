"""Gathering pages: list, detail, create, edit, occurrences and RSVPs."""

urlpatterns: list = []
