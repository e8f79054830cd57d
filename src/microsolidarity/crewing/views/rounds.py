"""Crewing pages: rounds."""

urlpatterns: list = []
