"""Joining, asking and leaving through the API follow each group's join policy."""

from microsolidarity.groups.models import JoinPolicy, Membership, Scale
from microsolidarity.groups.services import group_create, membership_invite


def test_open_group_is_joined_at_once(client, network, make_person, bearer):
    newcomer = make_person("Nia Newcomer")

    response = client.post(f"/api/v1/groups/{network.slug}/join", headers=bearer(newcomer))

    assert response.status_code == 200
    body = response.json()
    assert body["membership"]["state"] == "active"
    assert body["membership"]["joined_via"] == "open"
    assert body["membership"]["group"]["slug"] == network.slug
    assert body["warning"] is None


def test_request_waits_for_the_hosts(client, congregation, make_person, bearer):
    person = make_person()

    response = client.post(
        f"/api/v1/groups/{congregation.slug}/request",
        {"message": "We met at the gathering."},
        content_type="application/json",
        headers=bearer(person),
    )

    assert response.status_code == 200
    assert response.json()["membership"]["state"] == "requested"
    membership = Membership.objects.get(person=person, group=congregation)
    assert membership.message == "We met at the gathering."


def test_request_needs_no_body(client, congregation, make_person, bearer):
    response = client.generic(
        "POST", f"/api/v1/groups/{congregation.slug}/request", headers=bearer(make_person())
    )

    assert response.status_code == 200
    assert response.json()["membership"]["state"] == "requested"


def test_joining_a_group_that_takes_requests_is_refused_with_a_message(
    client, congregation, make_person, bearer
):
    person = make_person()

    response = client.post(f"/api/v1/groups/{congregation.slug}/join", headers=bearer(person))

    assert response.status_code == 400
    assert "ask to join" in response.json()["detail"]
    assert not Membership.objects.filter(group=congregation, person=person).exists()


def test_invitation_only_group_refuses_join_and_request_with_a_json_message(
    client, staff, make_person, bearer
):
    circle = group_create(
        by=staff, name="Invited Circle", scale=Scale.CONGREGATION, join_policy=JoinPolicy.INVITATION
    )
    headers = bearer(make_person())

    joined = client.post(f"/api/v1/groups/{circle.slug}/join", headers=headers)
    asked = client.post(
        f"/api/v1/groups/{circle.slug}/request", content_type="application/json", headers=headers
    )

    assert joined.status_code == 400
    assert joined.json() == {"detail": "Invited Circle is by invitation only.", "errors": {}}
    assert asked.status_code == 400
    assert "does not take requests" in asked.json()["detail"]
    assert not circle.memberships.exclude(person=staff).exists()


def test_an_invited_person_joins_by_accepting(client, staff, make_person, bearer):
    circle = group_create(
        by=staff, name="Invited Circle", scale=Scale.CONGREGATION, join_policy=JoinPolicy.INVITATION
    )
    guest = make_person()
    membership_invite(by=staff, group=circle, person=guest)

    response = client.post(f"/api/v1/groups/{circle.slug}/join", headers=bearer(guest))

    assert response.status_code == 200
    assert response.json()["membership"]["joined_via"] == "invitation"


def test_asking_twice_is_refused(client, congregation, make_person, bearer):
    headers = bearer(make_person())
    path = f"/api/v1/groups/{congregation.slug}/request"
    client.post(path, content_type="application/json", headers=headers)

    response = client.post(path, content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert "already with the hosts" in response.json()["detail"]


def test_hidden_group_cannot_be_joined(client, quiet_crew, outsider, bearer):
    response = client.post(f"/api/v1/groups/{quiet_crew.slug}/join", headers=bearer(outsider))

    assert response.status_code == 404
    assert not quiet_crew.memberships.filter(person=outsider).exists()


def test_leaving_keeps_the_person_in_the_history(client, congregation, member, bearer):
    response = client.delete(
        f"/api/v1/groups/{congregation.slug}/membership", headers=bearer(member)
    )

    assert response.status_code == 200
    assert response.json()["state"] == "alumni"
    assert Membership.objects.get(person=member, group=congregation).state == "alumni"


def test_leaving_a_group_you_are_not_in_is_refused(client, congregation, outsider, bearer):
    response = client.delete(
        f"/api/v1/groups/{congregation.slug}/membership", headers=bearer(outsider)
    )

    assert response.status_code == 400
    assert "not a member" in response.json()["detail"]
