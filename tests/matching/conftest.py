"""Shared settings for the engine's tests: hypothesis kept quick, and no Django needed."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "matching", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("matching")
