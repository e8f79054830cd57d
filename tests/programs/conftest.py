"""Programs fixtures: the Vibes template in the congregation, and a cohort of it."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def vibes(congregation, host):
    from microsolidarity.programs.services import program_copy

    return program_copy(by=host, owner=congregation, key="vibes")


@pytest.fixture
def make_cohort(vibes, host):
    from microsolidarity.programs.cohorts import cohort_create

    def make(capacity: int = 10, starts_in: timedelta = timedelta(days=2), **options):
        first = (timezone.now() + starts_in).replace(second=0, microsecond=0)
        return cohort_create(
            by=host,
            program=options.pop("program", vibes),
            first_session_at=first,
            host_timezone=options.pop("host_timezone", "Europe/Berlin"),
            capacity=capacity,
            **options,
        )

    return make


@pytest.fixture
def people(make_person):
    """Participants with weekly times that overlap, so breakouts and crews can form."""

    def make(count: int, prefix: str = "Learner"):
        return [
            make_person(
                f"{prefix} {n}",
                timezone="Europe/Berlin",
                availability="mon 18:00-21:00; wed 18:00-21:00",
                languages=["en"],
            )
            for n in range(1, count + 1)
        ]

    return make
