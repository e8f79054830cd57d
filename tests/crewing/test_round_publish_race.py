"""Two hosts publish the same round at once: exactly one publish happens (PostgreSQL, threads)."""

import pytest
from at_once import at_once
from django.db import connection
from round_builders import join, members_signed_up, open_round

from microsolidarity.crewing.models import CrewCycle, RoundStatus
from microsolidarity.crewing.round_lifecycle import round_propose
from microsolidarity.crewing.round_publishing import round_publish
from microsolidarity.errors import Conflict
from microsolidarity.groups.models import Group, Membership, Scale
from microsolidarity.groups.services import host_assign

SIX = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]


@pytest.fixture(autouse=True)
def _postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks (select_for_update) need PostgreSQL; SQLite runs one writer at once."
        )
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hosts_publishing_at_once_make_one_set_of_crews(
    host, congregation, make_person, mailoutbox
):
    co_host = join(make_person("Cam Cohost"), congregation, host)
    host_assign(by=host, group=congregation, person=co_host)
    round_ = open_round(host, congregation)
    members_signed_up(round_, congregation, host, make_person, SIX)
    formed = round_propose(by=host, formation_round=round_)
    version = formed.proposal_version

    results = at_once(
        lambda who: round_publish(by=who, formation_round=formed, seen_version=version),
        [host, co_host],
        returned=(Conflict,),
    )

    published = [r for r in results if not isinstance(r, Conflict)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(published) == 1 and len(refused) == 1
    winner = published[0].published_by
    assert winner in (host, co_host)
    assert refused[0].message.startswith(f"This round was already published by {winner} at ")
    formed.refresh_from_db()
    assert formed.status == RoundStatus.PUBLISHED
    crews = Group.objects.filter(parent=congregation, scale=Scale.CREW)
    assert crews.count() == 2
    assert Membership.objects.filter(group__in=crews).count() == 6
    assert CrewCycle.objects.filter(formation_round=formed).count() == 2
    crew_emails = [m for m in mailoutbox if m.subject.startswith("Your crew from")]
    assert len(crew_emails) == 6
