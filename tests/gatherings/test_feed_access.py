"""Feed addresses: a personal secret to replace or switch off; group feeds are public."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def make_gathering(group, host, *, title, audience="public", days=7, recurrence=""):
    from microsolidarity.gatherings.models import Gathering, Occurrence

    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    gathering = Gathering.objects.create(
        group=group,
        title=title,
        slug=title.lower().replace(" ", "-"),
        timezone="Europe/Lisbon",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        audience=audience,
        recurrence=recurrence,
        created_by=host,
    )
    gathering.hosts.add(host)
    occurrence = Occurrence.objects.create(
        gathering=gathering,
        original_starts_at=start,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    return gathering, occurrence


def summaries(response) -> list[str]:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def test_personal_feed_shows_what_i_go_to_and_my_crews_meetings(
    client, congregation, host, member, make_person
):
    from microsolidarity.gatherings.models import Rsvp
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    _, going = make_gathering(congregation, host, title="Spring gathering")
    _, waiting = make_gathering(congregation, host, title="Full workshop")
    make_gathering(congregation, host, title="Not my thing")
    crew = group_create(by=member, name="Tide Crew", scale=Scale.CREW, parent=congregation)
    make_gathering(crew, member, title="Crew meeting")
    Rsvp.objects.create(occurrence=going, person=member, state="going")
    Rsvp.objects.create(occurrence=waiting, person=member, state="waitlisted")
    other = make_person("Other")
    Rsvp.objects.create(occurrence=going, person=other, state="going")

    client.force_login(member)
    response = client.post("/me/calendar/reset/", follow=True)
    url = response.context["feed_url"]
    client.logout()

    feed = client.get(url)
    assert summaries(feed) == ["Crew meeting", "Full workshop", "Spring gathering"]
    assert feed["Cache-Control"].startswith("private")
    calendar = icalendar.Calendar.from_ical(feed.content)
    states = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert states["Full workshop"] == "TENTATIVE"
    assert states["Spring gathering"] == "CONFIRMED"


def test_a_new_feed_address_retires_the_old_one_and_off_stops_it(client, member):
    client.force_login(member)
    first = client.post("/me/calendar/reset/", follow=True).context["feed_url"]
    second = client.post("/me/calendar/reset/", follow=True).context["feed_url"]
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    client.post("/me/calendar/off/")
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-real-key.ics").status_code == 404


def test_feed_keys_are_not_stored(client, member):
    from microsolidarity.gatherings.models import CalendarFeed

    client.force_login(member)
    url = client.post("/me/calendar/reset/", follow=True).context["feed_url"]
    key = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(person=member)
    assert key not in stored.key_hash


def test_group_feed_lists_public_gatherings_only(client, congregation, host):
    make_gathering(congregation, host, title="Open day")
    make_gathering(congregation, host, title="Members circle", audience="members")
    assert summaries(client.get(f"/g/{congregation.slug}/calendar.ics")) == ["Open day"]


def test_members_only_group_has_no_public_feed(client, congregation, host):
    congregation.visibility = "members"
    congregation.save(update_fields=["visibility"])
    make_gathering(congregation, host, title="Hidden")
    assert client.get(f"/g/{congregation.slug}/calendar.ics").status_code == 404


def test_gathering_file_respects_who_may_see_it(client, congregation, host, member, make_person):
    gathering, occurrence = make_gathering(
        congregation, host, title="Members circle", audience="members"
    )
    outsider = make_person("Outsider")
    client.force_login(outsider)
    assert client.get(f"/gatherings/{gathering.slug}/calendar.ics").status_code == 404
    assert (
        client.get(f"/gatherings/{gathering.slug}/{occurrence.pk}/calendar.ics").status_code == 404
    )
    client.force_login(member)
    assert summaries(client.get(f"/gatherings/{gathering.slug}/calendar.ics")) == ["Members circle"]
    assert summaries(client.get(f"/gatherings/{gathering.slug}/{occurrence.pk}/calendar.ics")) == [
        "Members circle"
    ]


def test_the_feed_address_is_shown_again_on_its_page_until_replaced(client, member):
    client.force_login(member)
    made = client.post("/me/calendar/reset/", follow=True).context["feed_url"]

    again = client.get("/me/calendar/")

    assert again.context["feed_url"] == made
    assert made in again.content.decode()
    assert client.get(made).status_code == 200
    replaced = client.post("/me/calendar/reset/", follow=True).context["feed_url"]
    assert client.get("/me/calendar/").context["feed_url"] == replaced != made


def test_a_feed_address_made_under_another_secret_key_is_not_shown_but_still_works(
    client, member, settings
):
    from microsolidarity.gatherings.feeds import calendar_feed_key, calendar_feed_reset

    key = calendar_feed_reset(person=member)
    assert calendar_feed_key(member) == key
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert calendar_feed_key(member) is None
    assert client.get(f"/calendar/{key}.ics").status_code == 200


def test_feed_settings_without_a_feed_shows_no_address(client, member):
    client.force_login(member)

    assert client.get("/me/calendar/").context["feed_url"] is None
