"""Our own limits: invitations and RSVPs per person, API calls per person or address."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=2)
    return gathering_create(
        by=host,
        group=congregation,
        title="Circle",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=5,
    )


def test_invitations_are_limited_per_person(client, limits_on, host, congregation):
    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "invite": "3/h"}
    client.force_login(host)
    url = f"/g/{congregation.slug}/invite/"

    statuses = [client.post(url, {"email": f"friend{n}@example.org"}).status_code for n in range(4)]
    refused = client.post(url, {"email": "late@example.org"})

    assert statuses == [302, 302, 302, 429]
    assert int(refused["Retry-After"]) >= 1


def test_rsvps_are_limited_per_person_on_pages_and_api(client, limits_on, member, gathering):
    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "rsvp": "2/h"}
    client.force_login(member)
    occurrence = gathering.occurrences.first()
    url = f"/gatherings/{gathering.slug}/{occurrence.pk}/rsvp/"

    pages = [client.post(url, {"state": "going"}).status_code for _ in range(3)]
    api = client.post(
        f"/api/v1/gatherings/{gathering.pk}/rsvp",
        {"state": "going"},
        content_type="application/json",
        headers={"X-CSRFToken": "unused"},
        enforce_csrf_checks=False,
    )

    assert pages[:2] != [429, 429] and pages[2] == 429
    assert api.status_code in {403, 429}


def test_api_calls_answer_429_json_with_retry_after(client, limits_on, member):
    from microsolidarity.people.services import token_create

    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "api": "3/5m"}
    _token, raw = token_create(person=member, name="tests")
    headers = {"Authorization": f"Bearer {raw}"}

    statuses = [client.get("/api/v1/me", headers=headers).status_code for _ in range(3)]
    refused = client.get("/api/v1/me", headers=headers)
    anonymous = client.get("/api/v1/groups", REMOTE_ADDR="192.0.2.50")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert set(refused.json()) == {"detail", "errors"}
    assert anonymous.status_code == 200


def test_anonymous_api_calls_are_limited_per_address(client, limits_on):
    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "api": "2/5m"}

    first = [client.get("/api/v1/groups", REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
    other = client.get("/api/v1/groups", REMOTE_ADDR="192.0.2.2")

    assert first == [200, 200, 429]
    assert other.status_code == 200


def test_made_up_tokens_are_throttled_per_address(client, limits_on, member):
    from microsolidarity.people.services import token_create

    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "api_token_failure": "5/5m"}
    guesses = [
        client.get(
            "/api/v1/me",
            headers={"Authorization": f"Bearer ms_guess{n:04d}"},
            REMOTE_ADDR="198.51.100.7",
        ).status_code
        for n in range(8)
    ]
    refused = client.get(
        "/api/v1/me", headers={"Authorization": "Bearer ms_another"}, REMOTE_ADDR="198.51.100.7"
    )

    assert guesses == [401] * 5 + [429] * 3
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["detail"] and refused.json()["errors"] == {}
    # The guesser slows only themselves: the member's own token works from elsewhere.
    _token, raw = token_create(person=member, name="mine")
    mine = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR="203.0.113.9"
    )
    assert mine.status_code == 200
    # A valid token from the guessing address waits too: the address is what is limited.
    same_address = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR="198.51.100.7"
    )
    assert same_address.status_code == 429
