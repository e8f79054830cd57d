"""The home page's gatherings apply the hidden-content rule from the groups the person hosts,
already read for the page: the host still sees a hidden gathering (marked), a member does not."""

import pytest
from django.urls import reverse

from microsolidarity.moderation.models import ContentKind

pytestmark = pytest.mark.django_db


def test_the_host_sees_a_hidden_gathering_on_their_home_page_and_a_member_does_not(
    client, host, member, their_gathering, hide
):
    from microsolidarity.gatherings.rsvp import rsvp_set

    occurrence = their_gathering.occurrences.get()
    for person in (host, member):
        rsvp_set(person=person, occurrence=occurrence, state="going")
    hide(ContentKind.GATHERING, their_gathering)

    client.force_login(host)
    hosts_home = client.get(reverse("home")).content.decode()
    client.force_login(member)
    members_home = client.get(reverse("home")).content.decode()

    assert "Loud evening" in hosts_home and "Hidden by the hosts" in hosts_home
    assert "Loud evening" not in members_home


def test_the_rule_from_known_hosted_groups_equals_the_rule_with_subqueries(
    host, member, co_host, staff, their_gathering, hide
):
    from microsolidarity.gatherings.models import Rsvp
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.groups.queries import home_for, not_hidden_for, not_hidden_given

    occurrence = their_gathering.occurrences.get()
    for person in (host, member, co_host, staff):
        rsvp_set(person=person, occurrence=occurrence, state="going")
    hide(ContentKind.GATHERING, their_gathering)
    fields = ("occurrence__gathering__group", "occurrence__gathering__hidden_at")

    seen = {}
    for person in (host, member, co_host, staff):
        hosting = [m.group_id for m in home_for(person).hosting]
        given = set(Rsvp.objects.filter(not_hidden_given(person, hosting, *fields)))
        assert given == set(Rsvp.objects.filter(not_hidden_for(person, *fields)))
        seen[person.pk] = len(given)
    # Hosts and operators see all four answers to the hidden gathering, the member none.
    assert seen == {host.pk: 4, member.pk: 0, co_host.pk: 4, staff.pk: 4}


def test_open_calls_from_known_hosted_groups_equal_open_calls_with_subqueries(
    host, member, co_host, staff, congregation, crew_call, hide
):
    from microsolidarity.crewing.queries import open_calls
    from microsolidarity.groups.queries import viewer_memberships

    hide(ContentKind.CREW_CALL, crew_call)

    seen = {}
    for person in (host, member, co_host, staff):
        hosting = [m.group_id for m in viewer_memberships(person) if m.is_hosting()]
        given = set(open_calls(congregation, person, hosting_ids=hosting))
        assert given == set(open_calls(congregation, person))
        seen[person.pk] = len(given)
    # The hidden call: its hosts and operators see it, the member does not.
    assert seen == {host.pk: 1, member.pk: 0, co_host.pk: 1, staff.pk: 1}
