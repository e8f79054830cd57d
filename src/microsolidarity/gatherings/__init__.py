"""Gatherings: calls, gatherings and camps; RSVPs, series, feeds, time polls and agendas."""
