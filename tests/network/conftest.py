"""Fixtures for the network tests: listed congregations, gatherings, and remote actors with keys."""

from datetime import timedelta

import pytest
from remote_support import FakeRemote


@pytest.fixture
def town():
    from microsolidarity.people.towns import town_resolve

    def find(label: str):
        (found,) = town_resolve(label)
        return found

    return find


@pytest.fixture
def listed(host, town):
    """List a congregation in the directory: listed(group, "Lisbon, Portugal", online=False)."""
    from microsolidarity.network.services import listing_save

    def make(group, label: str | None = "Lisbon, Portugal", *, online: bool = False, **extra):
        return listing_save(
            by=host,
            group=group,
            listed=True,
            meets_online=online,
            town=town(label) if label else None,
            **extra,
        )

    return make


@pytest.fixture
def make_gathering(host):
    from django.utils import timezone

    from microsolidarity.gatherings.services import gathering_create

    def make(group, title: str = "Spring gathering", *, days: int = 10, **fields):
        starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
        return gathering_create(
            by=host,
            group=group,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            **fields,
        )

    return make


@pytest.fixture
def fake_remote():
    return FakeRemote
