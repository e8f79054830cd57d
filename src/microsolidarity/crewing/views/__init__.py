"""Crewing pages, split by what they serve."""
