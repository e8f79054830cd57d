"""A `next` sent with a form leads only to a page of this site: never elsewhere, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

# Each is somewhere else, or no place at all, however a browser reads it.
ELSEWHERE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,hi",
    "http://testserver@evil.example/",
]


@pytest.fixture
def occurrence(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Open circle",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    return gathering.occurrences.get()


@pytest.mark.parametrize("target", ELSEWHERE)
def test_an_rsvp_never_redirects_off_the_site(client, member, occurrence, target):
    client.force_login(member)
    url = occurrence.get_absolute_url() + "rsvp/"
    answer = client.post(url, {"state": "going", "next": target})
    assert answer.status_code == 302
    assert answer["Location"] == occurrence.get_absolute_url()


def test_an_rsvp_follows_a_next_on_this_site(client, member, occurrence):
    client.force_login(member)
    answer = client.post(
        occurrence.get_absolute_url() + "rsvp/", {"state": "going", "next": "/gatherings/?x=1"}
    )
    assert answer["Location"] == "/gatherings/?x=1"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_opting_in_to_pairing_never_redirects_off_the_site(
    client, host, member, congregation, target
):
    from django.urls import reverse

    from microsolidarity.dyads.services import program_save

    program_save(by=host, group=congregation)
    client.force_login(member)
    answer = client.post(reverse("dyads_opt_in", args=[congregation.slug]), {"next": target})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("dyads_home")
