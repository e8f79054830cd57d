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


@pytest.fixture
def co_host(other_member, congregation, host):
    """`other_member`, made a co-host so they can call gatherings (and be reported for one)."""
    from microsolidarity.groups.models import Role
    from microsolidarity.groups.services import host_assign

    host_assign(by=host, group=congregation, person=other_member, role=Role.CO_HOST)
    return other_member


@pytest.fixture
def their_gathering(co_host, congregation):
    """A public gathering called by the co-host, not by `host`."""
    from datetime import timedelta

    from django.utils import timezone

    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=5)
    return gathering_create(
        by=co_host,
        group=congregation,
        title="Loud evening",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


@pytest.fixture
def session(other_member, gathering):
    """An agenda session `other_member` proposed at the host's gathering."""
    from microsolidarity.gatherings.agenda import session_propose

    return session_propose(
        by=other_member, occurrence=gathering.occurrences.get(), title="Shouting workshop"
    )


@pytest.fixture
def crew_call(other_member, congregation):
    from microsolidarity.crewing.calls import call_post

    return call_post(by=other_member, congregation=congregation, intention="Crew of the loud")


@pytest.fixture
def hide(host, congregation, member):
    """hide(kind, content) -> the action: a member reports it, the host hides it."""
    from microsolidarity.moderation.services import action_take, report_create

    def run(kind, content):
        report = report_create(
            reporter=member,
            group=congregation,
            content_kind=kind,
            content_id=content.pk,
            reason="Please look at this.",
        )
        return action_take(
            by=host,
            group=congregation,
            person=report.about_person,
            kind="hide",
            reason="Hidden while we talk.",
            report=report,
        )

    return run
