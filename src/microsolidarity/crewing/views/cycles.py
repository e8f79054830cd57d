"""Crewing pages: cycles."""

urlpatterns: list = []
