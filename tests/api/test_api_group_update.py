"""PATCH /groups/{slug}: a group's hosts change its settings; others are refused as elsewhere."""

from microsolidarity.groups.models import Group, Visibility


def _patch(client, slug, body, headers):
    return client.patch(
        f"/api/v1/groups/{slug}", body, content_type="application/json", headers=headers
    )


def test_host_changes_the_description_and_gets_the_group(client, congregation, host, bearer):
    response = _patch(
        client, congregation.slug, {"description": "We meet by the river."}, bearer(host)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == congregation.slug
    assert body["description"] == "We meet by the river."
    assert body["name"] == "Riverside Congregation"
    assert Group.objects.get(pk=congregation.pk).description == "We meet by the river."


def test_member_who_does_not_host_gets_403(client, congregation, member, bearer):
    response = _patch(client, congregation.slug, {"name": "Taken Over"}, bearer(member))

    assert response.status_code == 403
    assert "hosts" in response.json()["detail"]
    assert Group.objects.get(pk=congregation.pk).name == "Riverside Congregation"


def test_unknown_group_gets_404(client, host, bearer):
    response = _patch(client, "no-such-group", {"name": "Anything"}, bearer(host))

    assert response.status_code == 404


def test_a_visibility_that_does_not_exist_gets_422(client, congregation, host, bearer):
    response = _patch(client, congregation.slug, {"visibility": "everyone"}, bearer(host))

    assert response.status_code == 422
    assert "visibility" in response.json()["errors"]
    assert Group.objects.get(pk=congregation.pk).visibility == Visibility.PUBLIC


def test_a_visibility_wider_than_the_parent_is_refused_on_its_field(
    client, network, congregation, host, bearer
):
    Group.objects.filter(pk=network.pk).update(visibility=Visibility.MEMBERS)

    response = _patch(client, congregation.slug, {"visibility": "public"}, bearer(host))

    assert response.status_code == 400
    assert "visibility" in response.json()["errors"]


def test_without_a_token_gets_401(client, congregation):
    response = client.patch(
        f"/api/v1/groups/{congregation.slug}", {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 401
