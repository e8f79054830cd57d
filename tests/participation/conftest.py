"""Fixtures for participation: a second member, a treasurer, a gathering and a camp."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def join(host):
    from microsolidarity.groups.services import membership_approve, membership_request

    def make(person, group):
        result = membership_request(person=person, group=group)
        membership_approve(by=host, membership=result.membership)
        return person

    return make


@pytest.fixture
def other_member(make_person, congregation, join):
    return join(make_person("Ola Other"), congregation)


@pytest.fixture
def treasurer(make_person, congregation, join, host):
    from microsolidarity.participation.contributions import treasurer_appoint

    person = join(make_person("Tess Treasurer"), congregation)
    treasurer_appoint(by=host, group=congregation, person=person)
    return person


@pytest.fixture
def gathering(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=3)
    return gathering_create(
        by=host,
        group=congregation,
        title="Evening circle",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


@pytest.fixture
def weekly(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=1)
    return gathering_create(
        by=host,
        group=congregation,
        title="Weekly call",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        recurrence="FREQ=WEEKLY;COUNT=4",
    )


@pytest.fixture
def camp(host, congregation):
    from microsolidarity.gatherings.models import Kind
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=60)
    return gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        kind=Kind.CAMP,
        starts_at=starts,
        ends_at=starts + timedelta(days=3),
    )
