"""The count in the header, the list, opening one, marking all read, the settings, the API."""

import pytest
from django.urls import reverse

from microsolidarity.notifications.models import Delivery, Kind, Notification
from microsolidarity.notifications.services import notify


@pytest.fixture
def ana(make_person):
    return make_person("Ana")


def tell(person, text="A poll opens", link="/groups/"):
    return notify(people=[person], kind=Kind.POLL_OPENED, text=text, link=link)[0]


def test_the_header_shows_the_unread_count_with_a_label(client, ana):
    tell(ana)
    tell(ana)
    client.force_login(ana)

    page = client.get(reverse("group_list")).content.decode()

    assert 'aria-label="Notifications (2 unread)"' in page
    assert "Notifications (2)</a>" in page


def test_the_header_count_costs_no_query(client, ana, django_assert_num_queries):
    client.force_login(ana)
    client.get(reverse("group_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get(reverse("group_list"))
    for number in range(5):
        tell(ana, text=f"News {number}")
    with django_assert_num_queries(len(without.captured_queries)):
        page = client.get(reverse("group_list")).content.decode()
    assert "Notifications (5)" in page


def test_visitors_see_no_notifications_link(client, db):
    assert "Notifications" not in client.get(reverse("group_list")).content.decode()


def test_the_list_is_newest_first_and_paged(client, ana):
    for number in range(35):
        tell(ana, text=f"News {number}")
    client.force_login(ana)

    first = client.get(reverse("notification_list")).content.decode()
    second = client.get(reverse("notification_list") + "?page=2").content.decode()

    assert first.index("News 34") < first.index("News 33")
    assert "News 4<" not in first and "News 4<" in second


def test_opening_one_marks_it_read_and_goes_to_its_link(client, ana):
    notification = tell(ana, link="/groups/")
    client.force_login(ana)

    response = client.get(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 302 and response.url == "/groups/"
    notification.refresh_from_db()
    ana.refresh_from_db()
    assert notification.read_at is not None and ana.notifications_unread == 0


def test_someone_elses_notification_is_not_found(client, ana, make_person):
    notification = tell(ana)
    client.force_login(make_person("Ben"))

    assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404


def test_mark_all_read_empties_the_count(client, ana):
    tell(ana)
    tell(ana)
    client.force_login(ana)

    response = client.post(reverse("notifications_read"), follow=True)

    assert "Notifications (" not in response.content.decode()
    assert not Notification.objects.filter(person=ana, read_at__isnull=True).exists()


def test_the_settings_page_keeps_each_choice(client, ana):
    client.force_login(ana)
    choices = {kind.value: Delivery.DIGEST for kind in Kind}
    choices[Kind.JOIN_REQUEST] = Delivery.OFF

    response = client.post(reverse("notification_settings"), choices)

    assert response.status_code == 302
    assert dict(ana.notification_preferences.values_list("kind", "delivery")) == {
        Kind.JOIN_REQUEST: Delivery.OFF,
        Kind.JOIN_APPROVED: Delivery.DIGEST,
    }
    form = client.get(reverse("notification_settings")).context["form"]
    assert form["join_request"].value() == Delivery.OFF
    assert form["call_interest"].value() == Delivery.DIGEST


def test_the_profile_page_links_to_the_settings(client, ana):
    client.force_login(ana)

    assert reverse("notification_settings") in client.get(reverse("profile_edit")).content.decode()


def test_pages_need_a_signed_in_person(client):
    for name in ("notification_list", "notification_settings"):
        assert client.get(reverse(name)).status_code == 302


def test_the_api_lists_only_your_own_newest_first(client, ana, make_person, bearer):
    tell(ana, text="Older")
    tell(ana, text="Newer")
    tell(make_person("Ben"), text="Not yours")

    body = client.get("/api/v1/notifications", headers=bearer(ana)).json()

    assert body["count"] == 2
    assert [item["text"] for item in body["items"]] == ["Newer", "Older"]
    assert body["items"][0]["kind"] == "poll_opened" and body["items"][0]["read_at"] is None


def test_the_api_marks_some_then_all_read(client, ana, bearer):
    first = tell(ana)
    tell(ana)
    headers = bearer(ana)

    some = client.post(
        "/api/v1/notifications/read",
        {"ids": [first.pk]},
        content_type="application/json",
        headers=headers,
    )
    everything = client.post(
        "/api/v1/notifications/read", {}, content_type="application/json", headers=headers
    )

    assert some.json() == {"unread": 1}
    assert everything.json() == {"unread": 0}


def test_the_api_needs_a_person(client):
    assert client.get("/api/v1/notifications").status_code == 401


def test_a_kept_page_shows_the_new_count_at_once(client, ana):
    client.force_login(ana)
    client.get(reverse("group_list"))
    client.get(reverse("group_list"))

    tell(ana)

    assert "Notifications (1)" in client.get(reverse("group_list")).content.decode()
