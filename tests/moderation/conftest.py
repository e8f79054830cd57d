"""A congregation with a host, two members and an outsider, for moderation."""

import pytest


@pytest.fixture
def other_member(make_person, congregation, host):
    from microsolidarity.groups.services import membership_approve, membership_request

    person = make_person("Oli Other")
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


@pytest.fixture
def gathering(congregation, host):
    from datetime import timedelta

    from django.utils import timezone

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
def report(member, other_member, congregation):
    from microsolidarity.moderation.services import report_create

    return report_create(
        reporter=member, group=congregation, about_person=other_member, reason="Rude in the chat."
    )
