"""Two people who share a group can form a dyad; the partner says yes or quietly no."""

import pytest

pytestmark = pytest.mark.django_db


def test_dyad_invitation_accepted_makes_an_active_dyad_of_two(client, congregation, member, host):
    from microsolidarity.groups.models import Group, Membership

    client.force_login(member)
    response = client.post(f"/people/{host.pk}/dyad/")
    dyad = Group.objects.get(scale="dyad")
    assert response.url == dyad.get_absolute_url()
    assert dyad.parent == congregation
    assert dyad.status == "forming"
    assert Membership.objects.get(group=dyad, person=host).state == "invited"

    # Asking again leads to the same dyad, not a second one.
    client.post(f"/people/{host.pk}/dyad/")
    assert Group.objects.filter(scale="dyad").count() == 1

    client.force_login(host)
    client.post(f"/g/{dyad.slug}/accept/")
    dyad.refresh_from_db()
    assert dyad.status == "active"
    assert dyad.memberships.filter(state="active").count() == 2


def test_declined_dyad_closes_quietly(client, congregation, member, host):
    from microsolidarity.groups.models import Group

    client.force_login(member)
    client.post(f"/people/{host.pk}/dyad/")
    dyad = Group.objects.get(scale="dyad")
    client.force_login(host)
    client.post(f"/g/{dyad.slug}/decline/")
    dyad.refresh_from_db()
    assert dyad.status == "closed"
    assert not dyad.memberships.filter(person=host).exists()


def test_no_dyad_with_a_stranger(client, member, make_person):
    from microsolidarity.groups.models import Group

    stranger = make_person("Stranger")
    client.force_login(member)
    response = client.post(f"/people/{stranger.pk}/dyad/", follow=True)
    assert not Group.objects.filter(scale="dyad").exists()
    assert "once you share a group" in response.content.decode()


def test_a_pairing_trio_is_the_one_dyad_of_three_and_survives_one_leaving(
    congregation, host, member, make_person
):
    from microsolidarity.groups.services import dyad_create, membership_leave

    third = make_person("Third")
    from microsolidarity.groups.services import membership_approve, membership_request

    membership_approve(
        by=host, membership=membership_request(person=third, group=congregation).membership
    )
    trio = dyad_create(by=host, partner=member, third=third, parent=congregation)
    assert trio.memberships.filter(state="active").count() == 3

    membership_leave(person=third, group=trio)
    trio.refresh_from_db()
    assert trio.status == "active"
    membership_leave(person=member, group=trio)
    trio.refresh_from_db()
    assert trio.status == "closed"
