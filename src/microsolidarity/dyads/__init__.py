"""Dyads: pairing rounds that never repeat a partner, and partnership check-ins."""
