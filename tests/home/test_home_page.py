"""Home: visitors see public congregations; members see their groups and what comes next."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_visitor_sees_public_congregations_but_not_hidden_ones(client, network, host):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    group_create(by=host, name="Open Harbour", scale=Scale.CONGREGATION, parent=network)
    group_create(
        by=host,
        name="Quiet Cove",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility="members",
    )
    page = client.get("/").content.decode()
    assert "Open Harbour" in page
    assert "Quiet Cove" not in page
    assert "Sign up" in page


def test_member_sees_groups_invitations_and_gatherings_they_go_to(
    client, congregation, host, member
):
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Harvest gathering",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=1,
    )
    occurrence = gathering.occurrences.get()
    rsvp_set(person=host, occurrence=occurrence, state="going")
    rsvp_set(person=member, occurrence=occurrence, state="going")

    client.force_login(member)
    page = client.get("/").content.decode()
    assert congregation.name in page
    assert "Harvest gathering" in page
    assert "waitlisted" in page
    assert f"Find your crew in {congregation.name}" in page


def test_group_gatherings_page_lists_only_that_groups_gatherings(
    client, congregation, network, host
):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=5)
    gathering_create(
        by=host,
        group=congregation,
        title="Riverside picnic",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    gathering_create(
        by=host,
        group=network,
        title="Network call",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    page = client.get(f"/gatherings/?group={congregation.slug}").content.decode()
    assert "Riverside picnic" in page
    assert "Network call" not in page
    assert client.get("/gatherings/?group=no-such-group").status_code == 404
