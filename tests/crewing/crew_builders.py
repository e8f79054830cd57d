"""Builders for crewing tests: congregation members, a crew of them, a running cycle."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import (
    group_create,
    membership_accept,
    membership_approve,
    membership_invite,
    membership_request,
)


def join(person, congregation, host):
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


def members_of(congregation, host, make_person, names, **profile):
    return [join(make_person(name, **profile), congregation, host) for name in names]


def crew_of(people, congregation, name="Tuesday Crew"):
    """A crew whose members joined in the order given (the first started it)."""
    first, *others = people
    crew = group_create(
        by=first,
        name=name,
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.PARENT,
        group_timezone="Europe/Berlin",
    )
    for person in others:
        membership_invite(by=first, group=crew, person=person)
        membership_accept(person=person, group=crew)
    return crew


def next_week_at(hour=18):
    """A moment next week, on the hour (UTC)."""
    start = timezone.now() + timedelta(days=7)
    return datetime(start.year, start.month, start.day, hour, 0, tzinfo=UTC)
