"""The caller's own account, profile and memberships."""

from microsolidarity.groups.services import membership_leave


def test_me_shows_person_profile_and_current_memberships(client, member, congregation, bearer):
    member.profile.pronouns = "they/them"
    member.profile.save(update_fields=["pronouns"])

    body = client.get("/api/v1/me", headers=bearer(member)).json()

    assert body["display_name"] == "Mo Member"
    assert body["profile"]["pronouns"] == "they/them"
    assert body["profile"]["timezone"] == "UTC"
    assert [m["group"]["slug"] for m in body["memberships"]] == [congregation.slug]


def test_me_leaves_out_past_memberships(client, member, congregation, bearer):
    membership_leave(person=member, group=congregation)

    body = client.get("/api/v1/me", headers=bearer(member)).json()

    assert body["memberships"] == []


def test_me_works_for_a_person_without_a_profile(client, bearer, db):
    from microsolidarity.people.models import Person

    operator = Person.objects.create_superuser("root@example.org", "a-long-test-password")

    body = client.get("/api/v1/me", headers=bearer(operator)).json()

    assert body["profile"] is None
    assert body["is_staff"] is True


def test_my_memberships_include_past_ones_and_filter_by_state(
    client, member, congregation, network, bearer
):
    client.post(f"/api/v1/groups/{network.slug}/join", headers=bearer(member))
    membership_leave(person=member, group=congregation)
    headers = bearer(member)

    everything = client.get("/api/v1/me/memberships", headers=headers).json()
    past = client.get("/api/v1/me/memberships", {"state": "alumni"}, headers=headers).json()

    assert everything["count"] == 2
    assert [m["group"]["slug"] for m in past["items"]] == [congregation.slug]


def test_my_memberships_need_someone_signed_in(client):
    assert client.get("/api/v1/me/memberships").status_code == 401


def test_my_memberships_take_a_fixed_number_of_queries(
    client, member, staff, network, bearer, django_assert_max_num_queries
):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join

    for number in range(10):
        group = group_create(
            by=staff, name=f"Open {number}", scale=Scale.DYAD, join_policy=JoinPolicy.OPEN
        )
        membership_join(person=member, group=group)
    headers = bearer(member)

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/me/memberships", headers=headers)

    assert response.json()["count"] == 11
