"""The listing form, the operators' federation page, crew calls in the directory, and the
documents other servers read (WebFinger, actors, events)."""

import pytest

from microsolidarity.crewing.calls import call_post
from microsolidarity.network.models import Follower, FollowState, Listing, RemoteServer

pytestmark = pytest.mark.django_db


def test_hosts_list_their_congregation_from_a_form(client, host, congregation):
    client.force_login(host)
    assert f"/network/listing/{congregation.slug}/" in client.get("/network/").content.decode()
    response = client.post(
        f"/network/listing/{congregation.slug}/",
        {"listed": "on", "town": "Porto, Portugal", "rhythm": "Monthly", "federated": "on"},
    )
    assert response.status_code == 302
    listing = Listing.objects.get(group=congregation)
    assert (listing.town_name, listing.rhythm, listing.federated) == (
        "Porto, Portugal",
        "Monthly",
        True,
    )


def test_the_listing_form_says_what_is_wrong_and_keeps_what_was_typed(client, host, congregation):
    client.force_login(host)
    response = client.post(
        f"/network/listing/{congregation.slug}/", {"listed": "on", "town": "", "rhythm": "Weekly"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "a town, or that it meets online" in page
    assert 'value="Weekly"' in page
    response = client.post(
        f"/network/listing/{congregation.slug}/", {"listed": "on", "town": "Springfield"}
    )
    assert "add the country" in response.content.decode()
    assert not Listing.objects.exists()


def test_members_do_not_change_the_listing(client, member, congregation):
    client.force_login(member)
    response = client.post(
        f"/network/listing/{congregation.slug}/", {"listed": "on", "meets_online": "on"}
    )
    assert response.status_code == 302
    assert not Listing.objects.exists()


def test_open_calls_are_named_for_members_and_counted_for_others(
    client, member, host, congregation, make_person, listed
):
    listed(congregation)
    for intention in ("A crew for gardeners", "A crew for parents", "Night owls", "Cooks"):
        call_post(by=member, congregation=congregation, intention=intention)
    page = client.get("/network/").content.decode()
    assert "4 open crew calls: members can answer them." in page
    assert "A crew for gardeners" not in page
    client.force_login(member)
    page = client.get("/network/").content.decode()
    assert "Cooks" in page and "See all 4 open calls" in page


def test_operators_approve_refuse_and_block_from_their_page(
    client, staff, congregation, fake_remote
):
    remote = fake_remote()
    actor = remote.store()
    follower = Follower.objects.create(group=congregation, actor=actor, follow_id=f"{remote.uri}#1")
    client.force_login(staff)
    page = client.get("/network/federation/").content.decode()
    assert f"Approve {actor.handle}" in page
    client.post("/network/federation/", {"action": "approve", "follower": follower.pk})
    follower.refresh_from_db()
    assert follower.state == FollowState.ACCEPTED
    response = client.post(
        "/network/federation/",
        {"action": "block", "domain": remote.domain, "reason": "spam"},
        follow=True,
    )
    assert f"{remote.domain} is blocked." in response.content.decode()
    assert RemoteServer.objects.get(domain=remote.domain).is_blocked
    assert not Follower.objects.exists()


def test_following_an_unreachable_group_says_why(client, staff):
    client.force_login(staff)
    response = client.post(
        "/network/federation/", {"action": "follow", "address": "not a handle"}, follow=True
    )
    assert "Write a handle like group@server.example" in response.content.decode()
    response = client.post(
        "/network/federation/",
        {"action": "follow", "address": "http://127.0.0.1:9/actors/x"},
        follow=True,
    )
    assert "could not be reached" in response.content.decode()


def test_the_federation_page_is_for_operators_only(client, host):
    client.force_login(host)
    assert client.get("/network/federation/").status_code == 404


def test_webfinger_finds_public_congregations_and_the_server(client, settings, congregation):
    domain = settings.SITE_URL.split("://", 1)[1]
    answer = client.get(
        "/.well-known/webfinger", {"resource": f"acct:{congregation.slug}@{domain}"}
    )
    assert answer["Content-Type"] == "application/jrd+json"
    (link,) = [link for link in answer.json()["links"] if link["rel"] == "self"]
    assert link["href"] == f"{settings.SITE_URL}/federation/groups/{congregation.slug}"
    relay = client.get("/.well-known/webfinger", {"resource": f"acct:relay@{domain}"}).json()
    assert relay["links"][0]["href"] == f"{settings.SITE_URL}/federation/actor"
    other = client.get(
        "/.well-known/webfinger", {"resource": f"acct:{congregation.slug}@elsewhere.example"}
    )
    assert other.status_code == 404


def test_a_group_actor_has_its_key_and_answers_browsers_with_its_page(client, congregation):
    actor = client.get(
        f"/federation/groups/{congregation.slug}", HTTP_ACCEPT="application/activity+json"
    )
    document = actor.json()
    assert actor["Content-Type"] == "application/activity+json"
    assert document["type"] == "Group"
    assert document["publicKey"]["owner"] == document["id"]
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    assert "PRIVATE" not in actor.content.decode()
    browser = client.get(f"/federation/groups/{congregation.slug}", HTTP_ACCEPT="text/html")
    assert browser.status_code == 302 and browser["Location"] == congregation.get_absolute_url()


def test_hosts_can_stop_sharing_with_other_servers(client, congregation, listed):
    listed(congregation, federated=False)
    assert client.get(f"/federation/groups/{congregation.slug}").status_code == 404


def test_an_event_document_is_served_only_while_it_is_shareable(
    client, congregation, make_gathering
):
    gathering = make_gathering(congregation, "Open evening")
    occurrence = gathering.occurrences.get()
    answer = client.get(
        f"/federation/events/{occurrence.pk}", HTTP_ACCEPT="application/activity+json"
    )
    assert answer.json()["name"] == "Open evening"
    gathering.audience = "members"
    gathering.save(update_fields=["audience"])
    assert client.get(f"/federation/events/{occurrence.pk}").status_code == 404


def test_a_blocked_server_cannot_fetch_even_public_documents(
    client, staff, congregation, fake_remote
):
    from django.conf import settings

    from microsolidarity.network.services import server_block
    from microsolidarity.network.signatures import signed_headers

    remote = fake_remote()
    path = f"/federation/groups/{congregation.slug}"
    headers = signed_headers(
        method="GET",
        url=settings.SITE_URL + path,
        body=b"",
        key_id=remote.key_id,
        private_key_pem=remote.private_pem,
    )
    signed = {"HTTP_SIGNATURE": headers["Signature"], "HTTP_DATE": headers["Date"]}
    assert client.get(path, **signed).status_code == 200
    server_block(by=staff, domain=remote.domain)
    assert client.get(path, **signed).status_code == 403
    assert client.get(path).status_code == 200
