"""The congregation page builds its members' links without a reverse() per row: still right."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_member_row_links_to_the_person_and_to_their_settings(client, evening):
    from microsolidarity.groups.models import Membership

    group = evening.congregation
    # A slug holding the digits used as the placeholder must come out whole.
    group.slug = "circle-987654321"
    group.save(update_fields=["slug"])
    client.force_login(evening.host)

    page = client.get(f"/g/{group.slug}/").content.decode()

    members = Membership.objects.filter(group=group, state__in=Membership.MEMBER_STATES)
    assert members.count() >= 15
    for membership in members:
        assert f'href="{reverse("person_detail", args=[membership.person_id])}"' in page
        if membership.state == "active" and membership.person_id != evening.host.pk:
            manage = reverse("group_membership_manage", args=[group.slug, membership.pk])
            assert f'action="{manage}"' in page
