"""Moderation: reports to a group's hosts, graded and reversible actions, an audit log."""
