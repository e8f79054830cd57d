"""Hosts change tiers and share hosting from the group page."""

import pytest

pytestmark = pytest.mark.django_db


def test_host_sets_a_members_tier_from_the_page(client, congregation, host, member):
    from microsolidarity.groups.models import Membership

    membership = Membership.objects.get(group=congregation, person=member)
    client.force_login(host)
    url = f"/g/{congregation.slug}/members/{membership.pk}/"
    client.post(url, {"action": "tier", "tier": "Partner"})
    membership.refresh_from_db()
    assert membership.tier == "Partner"

    response = client.post(url, {"action": "tier", "tier": "Overlord"}, follow=True)
    membership.refresh_from_db()
    assert membership.tier == "Partner"
    assert "Overlord is not a tier" in response.content.decode()


def test_member_cannot_change_tiers(client, congregation, member, make_person):
    from microsolidarity.groups.models import Membership
    from microsolidarity.groups.services import membership_join

    congregation.join_policy = "open"
    congregation.save(update_fields=["join_policy"])
    other = make_person("Other")
    membership_join(person=other, group=congregation)
    membership = Membership.objects.get(group=congregation, person=other)
    client.force_login(member)
    client.post(
        f"/g/{congregation.slug}/members/{membership.pk}/", {"action": "tier", "tier": "Partner"}
    )
    membership.refresh_from_db()
    assert membership.tier == "Friend"


def test_co_host_is_made_and_the_last_host_cannot_step_down(client, congregation, host, member):
    from microsolidarity.groups import access
    from microsolidarity.groups.models import HostTerm, Membership

    client.force_login(host)
    member_row = Membership.objects.get(group=congregation, person=member)
    host_row = Membership.objects.get(group=congregation, person=host)

    response = client.post(
        f"/g/{congregation.slug}/members/{host_row.pk}/", {"action": "end_hosting"}, follow=True
    )
    assert "keeps at least one host" in response.content.decode()
    assert access.is_host(host, congregation)

    client.post(f"/g/{congregation.slug}/members/{member_row.pk}/", {"action": "co_host"})
    access.forget_memberships(member)
    assert access.is_host(member, congregation)
    assert HostTerm.objects.filter(group=congregation, person=member, role="co_host").exists()

    client.post(f"/g/{congregation.slug}/members/{host_row.pk}/", {"action": "end_hosting"})
    access.forget_memberships(host)
    assert not access.is_host(host, congregation)
    assert HostTerm.objects.get(group=congregation, person=host).ended_on is not None


def test_narrowing_a_congregation_with_public_crews_is_refused(client, congregation, host, member):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    group_create(by=member, name="Open Crew", scale=Scale.CREW, parent=congregation)
    client.force_login(host)
    response = client.post(
        f"/g/{congregation.slug}/edit/",
        {
            "name": congregation.name,
            "description": "",
            "join_policy": "request",
            "visibility": "members",
            "status": "active",
            "timezone": "UTC",
            "tiers_text": "Friend, Partner",
        },
    )
    assert response.status_code == 200
    assert "Open Crew" in str(response.context["form"].errors["visibility"])
    congregation.refresh_from_db()
    assert congregation.visibility == "public"
