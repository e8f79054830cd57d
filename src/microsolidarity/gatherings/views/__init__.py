"""Pages for gatherings, split by what they serve: gatherings, feeds, polls, agenda."""
