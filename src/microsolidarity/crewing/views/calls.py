"""Crewing pages: calls."""

urlpatterns: list = []
