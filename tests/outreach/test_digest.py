"""The digest: opt-in, per person's zone and language, and only what that person may see."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from microsolidarity.outreach import digest
from microsolidarity.outreach.models import DigestFrequency, DigestSent

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Monday, 07:30 in Berlin: weekly digests of people there are due.
MONDAY_MORNING = datetime(2026, 12, 7, 7, 30, tzinfo=BERLIN)


def _gathering(by, group, title, start, **extra):
    from microsolidarity.gatherings.services import gathering_create

    return gathering_create(
        by=by,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        **extra,
    )


@pytest.fixture
def world(host, member, make_person, network, congregation, staff):
    """Mo is a member of Riverside and of a crew; Hill is a congregation Mo is not in."""
    from microsolidarity.crewing.calls import call_post
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import (
        group_create,
        membership_approve,
        membership_request,
    )

    member.profile.timezone = "Europe/Berlin"
    member.profile.save(update_fields=["timezone"])
    soon = MONDAY_MORNING + timedelta(days=2)
    hill = group_create(
        by=staff, name="Hill Congregation", scale=Scale.CONGREGATION, parent=network
    )
    crew = group_create(by=member, name="Mo's crew", scale=Scale.CREW, parent=congregation)
    peer = make_person("Pat Peer")
    other_crew_host = make_person("Cleo Crew")
    for person in (peer, other_crew_host):
        membership_approve(
            by=host, membership=membership_request(person=person, group=congregation).membership
        )
    other_crew = group_create(
        by=other_crew_host, name="Other crew", scale=Scale.CREW, parent=congregation
    )
    with time_machine.travel(MONDAY_MORNING - timedelta(days=1), tick=False):
        made = {
            "public": _gathering(host, congregation, "Open supper", soon),
            "members": _gathering(host, congregation, "Members circle", soon, audience="members"),
            "call": _gathering(host, congregation, "Monthly call", soon, kind="call"),
            "hidden": _gathering(host, congregation, "Hidden supper", soon),
            "mine_crew": _gathering(member, crew, "Our crew meets", soon),
            "other_crew": _gathering(other_crew_host, other_crew, "Their crew meets", soon),
            "hill": _gathering(staff, hill, "Hill walk", soon),
            "later": _gathering(host, congregation, "Far later", soon + timedelta(days=30)),
            "call_open": call_post(by=peer, congregation=congregation, intention="Parents crew"),
            "call_hidden": call_post(by=peer, congregation=congregation, intention="Hidden call"),
            "call_mine": call_post(by=member, congregation=congregation, intention="My own call"),
        }
    made["hidden"].hidden_at = timezone.now()
    made["hidden"].save(update_fields=["hidden_at"])
    made["call_hidden"].hidden_at = timezone.now()
    made["call_hidden"].save(update_fields=["hidden_at"])
    return made


def _titles(found) -> set[str]:
    return {item.title for section in found.sections for item in section.items}


def test_nobody_gets_a_digest_without_asking(world, member, mailoutbox):
    assert digest.digests_send_due(now=MONDAY_MORNING) == 0
    assert mailoutbox == []


def test_the_digest_shows_exactly_what_the_person_may_see_in_their_groups(
    world, member, mailoutbox, django_capture_on_commit_callbacks
):
    digest.digest_set(person=member, frequency=DigestFrequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send_due(now=MONDAY_MORNING) == 1
    [mail] = mailoutbox
    for shown in (
        "Open supper",
        "Members circle",
        "Monthly call",
        "Our crew meets",
        "Parents crew",
    ):
        assert shown in mail.body
    for hidden in (
        "Hidden supper",
        "Their crew meets",
        "Hill walk",
        "Far later",
        "Hidden call",
        "My own call",
    ):
        assert hidden not in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_outsider_digest_has_nothing_of_the_congregation(world, make_person):
    outsider = make_person("Otto Outsider")
    preference = digest.digest_set(person=outsider, frequency=DigestFrequency.WEEKLY)
    found = digest.digest_for(
        outsider,
        preference,
        "x",
        digest.Window(MONDAY_MORNING, MONDAY_MORNING + timedelta(days=7), BERLIN),
    )
    assert found.item_count == 0


def test_each_source_can_be_left_out(world, member):
    preference = digest.digest_set(
        person=member, frequency=DigestFrequency.WEEKLY, gatherings=False, crew_calls=False
    )
    window = digest.Window(MONDAY_MORNING, MONDAY_MORNING + timedelta(days=7), BERLIN)
    assert _titles(digest.digest_for(member, preference, "x", window)) == {"Monthly call"}


def test_times_are_in_the_persons_zone(world, member):
    preference = digest.digest_set(person=member, frequency=DigestFrequency.WEEKLY)
    window = digest.Window(MONDAY_MORNING, MONDAY_MORNING + timedelta(days=7), BERLIN)
    found = digest.digest_for(member, preference, "x", window)
    supper = next(i for s in found.sections for i in s.items if i.title == "Open supper")
    assert supper.when == (MONDAY_MORNING + timedelta(days=2)).astimezone(BERLIN).strftime(
        "%a %d %b, %H:%M"
    )


def test_a_weekly_digest_goes_once_a_week_from_monday_morning_in_the_persons_zone(
    world, member, mailoutbox, django_capture_on_commit_callbacks
):
    digest.digest_set(person=member, frequency=DigestFrequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        # 06:30 in Berlin is 05:30 UTC: not yet.
        assert digest.digests_send_due(now=MONDAY_MORNING - timedelta(hours=1)) == 0
        assert digest.digests_send_due(now=MONDAY_MORNING) == 1
        assert digest.digests_send_due(now=MONDAY_MORNING + timedelta(hours=3)) == 0
    assert len(mailoutbox) == 1
    assert DigestSent.objects.get().period == "2026-W50"


def test_an_empty_digest_is_not_sent(member, mailoutbox, django_capture_on_commit_callbacks):
    digest.digest_set(person=member, frequency=DigestFrequency.MONTHLY)
    first = datetime(2026, 12, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send_due(now=first) == 0
    assert mailoutbox == []


def test_the_one_click_link_turns_the_digest_off(client, member):
    from django.urls import reverse

    digest.digest_set(person=member, frequency=DigestFrequency.WEEKLY)
    url = reverse("digest_off", args=[digest.off_token(member.pk)])
    assert client.get(url).status_code == 200
    member.digest_preference.refresh_from_db()
    assert member.digest_preference.frequency == DigestFrequency.WEEKLY
    client.post(url)
    member.digest_preference.refresh_from_db()
    assert member.digest_preference.frequency == DigestFrequency.OFF
    assert client.post(reverse("digest_off", args=["forged"])).status_code == 404


def test_the_language_is_the_persons_first_that_the_site_speaks(member, settings):
    settings.LANGUAGES = [("en", "English"), ("de", "German")]
    member.profile.languages = ["pt", "de", "en"]
    assert digest.person_language(member) == "de"
    member.profile.languages = ["pt"]
    assert digest.person_language(member) == "en"


def test_cohorts_starting_in_my_congregations_are_in_the_digest(
    world, member, host, congregation, make_person, network, staff
):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create
    from microsolidarity.programs.cohorts import cohort_create
    from microsolidarity.programs.seats import seat_request
    from microsolidarity.programs.services import program_copy

    start = MONDAY_MORNING + timedelta(days=3)
    with time_machine.travel(MONDAY_MORNING - timedelta(days=1), tick=False):
        vibes = program_copy(by=host, owner=congregation, key="vibes")
        cohort = cohort_create(
            by=host,
            program=vibes,
            first_session_at=start,
            host_timezone="Europe/Berlin",
            capacity=12,
        )
        cohort_create(
            by=host,
            program=vibes,
            first_session_at=start + timedelta(days=40),
            host_timezone="Europe/Berlin",
            capacity=12,
        )
        elsewhere = group_create(
            by=staff, name="Dale Congregation", scale=Scale.CONGREGATION, parent=network
        )
        far = cohort_create(
            by=staff,
            program=program_copy(by=staff, owner=elsewhere, key="vibes"),
            first_session_at=start,
            host_timezone="Europe/Berlin",
            capacity=12,
        )
    preference = digest.digest_set(person=member, frequency=DigestFrequency.WEEKLY)
    window = digest.Window(MONDAY_MORNING, MONDAY_MORNING + timedelta(days=7), BERLIN)
    found = digest.digest_for(member, preference, "x", window)
    [section] = [s for s in found.sections if s.key == "cohorts"]
    # The one starting this week in Mo's congregation; not next month's, not Dale's.
    assert [item.title for item in section.items] == [cohort.title]
    assert section.items[0].url.endswith(cohort.get_absolute_url())
    assert far.title != cohort.title or far.pk != cohort.pk
    # Once Mo has asked for a place the cohort is no news to Mo.
    seat_request(person=member, cohort=cohort, answer="")
    found = digest.digest_for(member, preference, "x", window)
    assert "cohorts" not in {s.key for s in found.sections}
    # Leaving gatherings out leaves cohorts out too.
    outsider = make_person("Ola Outsider")
    quiet = digest.digest_set(person=outsider, frequency=DigestFrequency.WEEKLY, gatherings=False)
    assert digest.cohorts_section(outsider, window, quiet) is None
