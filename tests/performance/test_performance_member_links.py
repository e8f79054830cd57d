"""A congregation's page lists its first members and links to the members page, which lists
everyone with links built without a reverse() per row: both still right."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _members(group):
    from microsolidarity.groups.models import Membership

    return Membership.objects.filter(group=group, state__in=Membership.MEMBER_STATES)


def test_the_members_page_links_every_member_to_the_person_and_to_their_settings(client, evening):
    group = evening.congregation
    # A slug holding the digits used as the placeholder must come out whole.
    group.slug = "circle-987654321"
    group.save(update_fields=["slug"])
    client.force_login(evening.host)

    page = client.get(f"/g/{group.slug}/members/").content.decode()

    members = _members(group)
    assert members.count() >= 15
    assert f"{members.count()} members" in page
    for membership in members:
        assert f'href="{reverse("person_detail", args=[membership.person_id])}"' in page
        if membership.state == "active" and membership.person_id != evening.host.pk:
            manage = reverse("group_membership_manage", args=[group.slug, membership.pk])
            assert f'action="{manage}"' in page


def test_the_group_page_shows_the_first_members_and_links_to_them_all(client, evening):
    from microsolidarity.groups.views import MEMBERS_ON_PAGE

    group = evening.congregation
    client.force_login(evening.member)
    evening.grow_to(40)

    page = client.get(f"/g/{group.slug}/").content.decode()

    members = _members(group)
    shown = [m for m in members if f'href="/people/{m.person_id}/"' in page]
    # The host is also named under "Hosting now"; every other row is the member list's.
    assert MEMBERS_ON_PAGE <= len(shown) <= MEMBERS_ON_PAGE + 1
    assert f'href="{reverse("group_members", args=[group.slug])}"' in page
    assert f"See all {members.count()} members" in page


def test_a_change_made_on_the_members_page_returns_to_it(client, evening):
    group = evening.congregation
    client.force_login(evening.host)
    membership = _members(group).exclude(person=evening.host).filter(state="active").first()
    url = reverse("group_membership_manage", args=[group.slug, membership.pk])

    from_members = client.post(url, {"action": "co_host", "back": "members"})
    from_group = client.post(url, {"action": "end_hosting"})

    assert from_members.url == reverse("group_members", args=[group.slug])
    assert from_group.url == group.get_absolute_url()
    membership.refresh_from_db()
    assert membership.role == "member"


def test_who_is_not_a_member_sees_a_count_and_is_refused_the_members_page(client, evening):
    from microsolidarity.people.models import Person

    outsider = Person.objects.create(email="outsider-members@example.org")
    client.force_login(outsider)
    slug = evening.congregation.slug

    group_page = client.get(f"/g/{slug}/").content.decode()
    members_page = client.get(f"/g/{slug}/members/")

    assert f"/g/{slug}/members/" not in group_page
    assert members_page.status_code == 403


def test_a_host_changes_tiers_and_roles_on_the_members_page_not_the_group_page(client, evening):
    group = evening.congregation
    client.force_login(evening.host)

    page = client.get(f"/g/{group.slug}/").content.decode()

    members_page = reverse("group_members", args=[group.slug])
    assert f'href="{members_page}"' in page
    assert "change tiers or roles" in page
    # No form posts to a membership from the group page.
    assert f'action="{members_page}' not in page
