"""Gatherings through the API: lists, detail, occurrences, RSVP and cancel with the RSVP state."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from microsolidarity.gatherings.services import gathering_create


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def make(by, group, title, **extra):
    start = timezone.now() + timedelta(days=2)
    return gathering_create(
        by=by,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        **extra,
    )


@pytest.fixture
def one_seat(host, congregation):
    return make(host, congregation, "One seat", capacity=1, call_link="https://call.example.org/1")


@pytest.fixture
def weekly(host, congregation):
    return make(host, congregation, "Weekly", recurrence="FREQ=WEEKLY;COUNT=4", capacity=5)


def test_list_shows_visible_gatherings_and_filters_by_group(
    client, one_seat, weekly, host, other_congregation, staff
):
    make(staff, other_congregation, "Elsewhere")
    make(host, one_seat.group, "Members only", audience="members")

    everyone = client.get("/api/v1/gatherings").json()
    filtered = client.get("/api/v1/gatherings", {"group": one_seat.group.slug}).json()

    assert {item["title"] for item in everyone["items"]} == {"One seat", "Weekly", "Elsewhere"}
    assert {item["title"] for item in filtered["items"]} == {"One seat", "Weekly"}


def test_detail_has_hosts_and_upcoming_occurrences_with_seats(client, weekly, host):
    body = client.get(f"/api/v1/gatherings/{weekly.pk}").json()

    assert body["recurrence"] == "FREQ=WEEKLY;COUNT=4"
    assert [h["name"] for h in body["hosts"]] == [str(host)]
    assert len(body["upcoming"]) == 4
    assert body["upcoming"][0]["seats_left"] == 5


def test_occurrences_are_listed_in_pages(client, weekly):
    body = client.get(f"/api/v1/gatherings/{weekly.pk}/occurrences", {"limit": 2}).json()

    assert body["count"] == 4
    assert len(body["items"]) == 2


def test_rsvp_is_idempotent_and_answers_the_state(client, one_seat, member, bearer):
    headers = bearer(member)

    first = client.post(
        f"/api/v1/gatherings/{one_seat.pk}/rsvp",
        {"state": "going"},
        content_type="application/json",
        headers=headers,
    )
    again = client.post(
        f"/api/v1/gatherings/{one_seat.pk}/rsvp",
        {"state": "going"},
        content_type="application/json",
        headers=headers,
    )

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["state"] == "going"
    assert first.json()["waitlist_position"] is None


def test_full_means_waitlisted_and_cancel_promotes(
    client, one_seat, member, outsider, bearer, django_capture_on_commit_callbacks
):
    url = f"/api/v1/gatherings/{one_seat.pk}/rsvp"
    client.post(url, {"state": "going"}, content_type="application/json", headers=bearer(member))
    waiting = client.post(
        url, {"state": "going"}, content_type="application/json", headers=bearer(outsider)
    ).json()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.delete(url, headers=bearer(member))

    assert waiting["state"] == "waitlisted"
    assert waiting["waitlist_position"] == 1
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "not_going"
    assert [m.to for m in mail.outbox] == [[outsider.email]]


def test_a_repeating_gathering_needs_the_occurrence_named(client, weekly, member, bearer):
    url = f"/api/v1/gatherings/{weekly.pk}/rsvp"
    second = weekly.occurrences.order_by("starts_at")[1]

    unnamed = client.post(
        url, {"state": "going"}, content_type="application/json", headers=bearer(member)
    )
    named = client.post(
        url,
        {"state": "going", "occurrence": second.pk},
        content_type="application/json",
        headers=bearer(member),
    )
    cancelled = client.delete(f"{url}?occurrence={second.pk}", headers=bearer(member))

    assert unnamed.status_code == 400
    assert unnamed.json()["errors"] == {"occurrence": [unnamed.json()["detail"]]}
    assert named.json()["occurrence"] == second.pk
    assert cancelled.json()["state"] == "not_going"


def test_writing_needs_a_person_and_a_valid_state(client, one_seat, member, bearer):
    url = f"/api/v1/gatherings/{one_seat.pk}/rsvp"

    anonymous = client.post(url, {"state": "going"}, content_type="application/json")
    bad_state = client.post(
        url, {"state": "waitlisted"}, content_type="application/json", headers=bearer(member)
    )

    assert anonymous.status_code == 401
    assert bad_state.status_code == 422
    assert "state" in bad_state.json()["errors"]


def test_a_hidden_gathering_answers_like_a_missing_one(
    client, host, congregation, outsider, bearer
):
    hidden = make(host, congregation, "Members only", audience="members")

    seen = client.get(f"/api/v1/gatherings/{hidden.pk}", headers=bearer(outsider))
    missing = client.get("/api/v1/gatherings/999999", headers=bearer(outsider))
    rsvp = client.post(
        f"/api/v1/gatherings/{hidden.pk}/rsvp",
        {"state": "going"},
        content_type="application/json",
        headers=bearer(outsider),
    )

    assert seen.status_code == missing.status_code == rsvp.status_code == 404
    assert seen.json() == missing.json()


def test_the_list_does_not_grow_in_queries_with_gatherings(
    client, host, congregation, django_assert_max_num_queries
):
    for n in range(15):
        make(host, congregation, f"Call {n}")

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/gatherings", {"limit": 100})

    assert response.json()["count"] == 15
