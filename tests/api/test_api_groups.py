"""Reading groups through the API: lists, filters, detail, tree and members."""

from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import group_create


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def test_scale_filter_lists_only_congregations(client, congregation, other_congregation, network):
    response = client.get("/api/v1/groups", {"scale": "congregation"})

    assert response.status_code == 200
    assert slugs(response) == [other_congregation.slug, congregation.slug]
    assert response.json()["count"] == 2
    assert {item["scale"] for item in response.json()["items"]} == {"congregation"}


def test_list_shows_parent_member_count_and_page_url(client, congregation, member, network):
    item = client.get("/api/v1/groups", {"scale": "congregation"}).json()["items"][0]

    assert item["parent"] == network.slug
    assert item["member_count"] == 2
    assert item["url"] == congregation.get_absolute_url()


def test_parent_filter_lists_the_groups_inside_one_group(
    client, congregation, other_congregation, network
):
    response = client.get("/api/v1/groups", {"parent": network.slug})

    assert set(slugs(response)) == {congregation.slug, other_congregation.slug}


def test_search_finds_groups_by_words_in_name_description_or_region(client, network, staff):
    group_create(by=staff, name="Harbour Folk", scale=Scale.CONGREGATION, region="North Coast")

    assert slugs(client.get("/api/v1/groups", {"q": "coast"})) == ["harbour-folk"]
    assert slugs(client.get("/api/v1/groups", {"q": "harbour"})) == ["harbour-folk"]
    assert slugs(client.get("/api/v1/groups", {"q": "nothing like it"})) == []


def test_anonymous_sees_public_groups_only(client, congregation, quiet_crew, network):
    response = client.get("/api/v1/groups")

    assert response.status_code == 200
    assert quiet_crew.slug not in slugs(response)
    assert set(slugs(response)) == {network.slug, congregation.slug}
    assert client.get(f"/api/v1/groups/{quiet_crew.slug}").status_code == 404


def test_member_of_another_congregation_cannot_see_a_members_only_crew(
    client, quiet_crew, outsider, bearer
):
    headers = bearer(outsider)

    detail = client.get(f"/api/v1/groups/{quiet_crew.slug}", headers=headers)
    listed = client.get("/api/v1/groups", {"scale": "crew"}, headers=headers)

    assert detail.status_code == 404
    assert quiet_crew.slug not in slugs(listed)


def test_hidden_group_answers_exactly_like_a_missing_one(client, quiet_crew, outsider, bearer):
    headers = bearer(outsider)

    hidden = client.get(f"/api/v1/groups/{quiet_crew.slug}", headers=headers)
    missing = client.get("/api/v1/groups/no-such-group", headers=headers)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_members_see_their_members_only_crew(client, quiet_crew, member, bearer):
    response = client.get(f"/api/v1/groups/{quiet_crew.slug}", headers=bearer(member))

    assert response.status_code == 200
    body = response.json()
    assert body["visibility"] == "members"
    assert body["my_membership"]["state"] == "active"
    assert body["my_membership"]["role"] == "host"


def test_detail_has_no_membership_for_a_visitor(client, congregation):
    body = client.get(f"/api/v1/groups/{congregation.slug}").json()

    assert body["my_membership"] is None
    assert body["join_policy"] == "request"


def test_staff_see_every_congregation_but_not_a_members_only_crew(
    client, congregation, quiet_crew, staff, bearer
):
    from microsolidarity.groups.models import Group

    Group.objects.filter(pk=congregation.pk).update(visibility="members")
    congregation_answer = client.get(f"/api/v1/groups/{congregation.slug}", headers=bearer(staff))
    crew_answer = client.get(f"/api/v1/groups/{quiet_crew.slug}", headers=bearer(staff))

    assert congregation_answer.status_code == 200
    assert crew_answer.status_code == 404


def test_tree_nests_the_visible_groups_inside(
    client, network, congregation, quiet_crew, member, bearer
):
    tree = client.get(f"/api/v1/groups/{network.slug}/tree", headers=bearer(member)).json()

    assert tree["group"]["slug"] == network.slug
    [congregation_node] = tree["children"]
    assert congregation_node["group"]["slug"] == congregation.slug
    assert [node["group"]["slug"] for node in congregation_node["children"]] == [quiet_crew.slug]


def test_tree_leaves_out_groups_the_caller_cannot_see(client, network, congregation, quiet_crew):
    tree = client.get(f"/api/v1/groups/{network.slug}/tree").json()

    [congregation_node] = tree["children"]
    assert congregation_node["children"] == []


def test_members_list_the_memberships_of_their_group(client, congregation, member, host, bearer):
    response = client.get(f"/api/v1/groups/{congregation.slug}/memberships", headers=bearer(member))

    assert response.status_code == 200
    people = {item["person"]["name"]: item for item in response.json()["items"]}
    assert set(people) == {"Hana Host", "Mo Member"}
    assert people["Hana Host"]["hosting"] is True
    assert people["Mo Member"]["role"] == "member"


def test_non_members_are_refused_the_membership_list(client, congregation, outsider, bearer):
    response = client.get(
        f"/api/v1/groups/{congregation.slug}/memberships", headers=bearer(outsider)
    )

    assert response.status_code == 403
    assert "Only members" in response.json()["detail"]


def test_anonymous_is_refused_the_membership_list(client, congregation):
    response = client.get(f"/api/v1/groups/{congregation.slug}/memberships")

    assert response.status_code == 403


def test_lists_come_in_pages(client, network, staff):
    for number in range(5):
        group_create(
            by=staff,
            name=f"Dyad {number}",
            scale=Scale.DYAD,
            visibility=Visibility.PUBLIC,
            join_policy=JoinPolicy.CLOSED,
        )

    first = client.get("/api/v1/groups", {"scale": "dyad", "limit": 2}).json()
    last = client.get("/api/v1/groups", {"scale": "dyad", "limit": 2, "offset": 4}).json()

    assert first["count"] == 5
    assert [item["name"] for item in first["items"]] == ["Dyad 0", "Dyad 1"]
    assert [item["name"] for item in last["items"]] == ["Dyad 4"]


def test_group_list_takes_a_fixed_number_of_queries(
    client, network, staff, member, bearer, django_assert_max_num_queries
):
    for number in range(15):
        group_create(
            by=staff,
            name=f"Congregation {number}",
            scale=Scale.CONGREGATION,
            parent=network,
            join_policy=JoinPolicy.OPEN,
        )
    headers = bearer(member)

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/groups", {"limit": 100}, headers=headers)

    assert response.json()["count"] == 17


def test_membership_list_takes_a_fixed_number_of_queries(
    client, congregation, host, make_person, bearer, django_assert_max_num_queries
):
    from microsolidarity.groups.services import membership_approve, membership_request

    for _ in range(12):
        result = membership_request(person=make_person(), group=congregation)
        membership_approve(by=host, membership=result.membership)
    headers = bearer(host)

    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/groups/{congregation.slug}/memberships", headers=headers)

    assert response.json()["count"] == 13
