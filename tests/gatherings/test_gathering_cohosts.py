"""Hosts share hosting from the gathering page; a gathering keeps at least one host."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(congregation, host):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=10)
    return gathering_create(
        by=host,
        group=congregation,
        title="Solstice",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )


def test_host_adds_a_member_as_co_host_and_removes_them(client, gathering, host, member):
    client.force_login(host)
    client.post(f"/gatherings/{gathering.slug}/hosts/", {"email": member.email})
    assert set(gathering.hosts.all()) == {host, member}

    client.post(f"/gatherings/{gathering.slug}/hosts/{member.pk}/remove/")
    assert list(gathering.hosts.all()) == [host]


def test_the_last_host_stays_and_strangers_cannot_be_co_hosts(client, gathering, host, make_person):
    stranger = make_person("Stranger")
    client.force_login(host)
    response = client.post(
        f"/gatherings/{gathering.slug}/hosts/", {"email": stranger.email}, follow=True
    )
    assert list(gathering.hosts.all()) == [host]
    assert response.status_code == 200

    response = client.post(f"/gatherings/{gathering.slug}/hosts/{host.pk}/remove/", follow=True)
    assert list(gathering.hosts.all()) == [host]
    assert "keeps at least one host" in response.content.decode()


def test_members_cannot_add_co_hosts(client, gathering, host, member):
    client.force_login(member)
    client.post(f"/gatherings/{gathering.slug}/hosts/", {"email": member.email})
    assert list(gathering.hosts.all()) == [host]


def test_no_reminders_means_none_and_unset_means_a_day_and_an_hour(congregation, host):
    from microsolidarity.gatherings.reminders import reminder_offsets
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=10)
    quiet = gathering_create(
        by=host,
        group=congregation,
        title="Quiet",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        reminder_minutes=[],
    )
    usual = gathering_create(
        by=host,
        group=congregation,
        title="Usual",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert reminder_offsets(quiet) == []
    assert reminder_offsets(usual) == [1440, 60]
