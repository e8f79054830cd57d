"""Crewing: crew calls, formation rounds, proto-crew cycles of peer coaching, retrospectives."""
