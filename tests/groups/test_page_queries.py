"""Pages run a fixed number of queries, however many members and crews there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def grow(congregation, host, make_person, people: int, crews: int) -> None:
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create, membership_join

    congregation.join_policy = "open"
    congregation.save(update_fields=["join_policy"])
    members = [make_person() for _ in range(people)]
    for person in members:
        membership_join(person=person, group=congregation)
    for number in range(crews):
        group_create(
            by=members[number], name=f"Crew {number}", scale=Scale.CREW, parent=congregation
        )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["detail", "home", "list"])
def test_page_queries_do_not_grow_with_members_and_crews(
    client, congregation, host, make_person, page
):
    urls = {
        "detail": f"/g/{congregation.slug}/",
        "home": "/",
        "list": "/groups/?scale=crew",
    }
    client.force_login(host)
    client.get("/")  # the first request of a session stores the viewer's time zone
    grow(congregation, host, make_person, people=3, crews=1)
    tiny = queries_for(client, urls[page])
    # From 15 members on, a group's page lists some and counts all (a smaller group's page
    # lists everyone, so it needs no count: one query fewer, never more).
    grow(congregation, host, make_person, people=12, crews=1)
    small = queries_for(client, urls[page])
    grow(congregation, host, make_person, people=25, crews=6)
    large = queries_for(client, urls[page])
    assert large == small
    assert tiny <= small
