"""Formation-round pages: open, sign up, preview with the why, pin, move, re-run, publish, no JS."""

import re

import pytest
from round_builders import join, members_signed_up, open_round, sign_up

from microsolidarity.crewing.models import (
    FormationRound,
    PinKind,
    ProposedMember,
    RoundEntry,
    RoundStatus,
)
from microsolidarity.crewing.round_lifecycle import round_propose
from microsolidarity.crewing.round_publishing import round_publish
from microsolidarity.groups.models import Group, Scale

SIX = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]


@pytest.fixture(autouse=True)
def _tasks_run_here(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def round_(host, congregation):
    return open_round(host, congregation)


@pytest.fixture
def six(round_, congregation, host, make_person):
    return members_signed_up(round_, congregation, host, make_person, SIX)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_host_opens_a_round_from_the_congregations_round_list(client, host, congregation):
    client.force_login(host)
    listing = client.get(f"/g/{congregation.slug}/rounds/")
    assert listing.status_code == 200
    assert "Open a round" in _text(listing)
    response = client.post(
        f"/g/{congregation.slug}/rounds/new/",
        {
            "title": "Autumn crews",
            "deadline": "2099-10-01T18:00",
            "size_min": 3,
            "size_max": 5,
            "min_common_minutes": 60,
            "meeting_minutes": 75,
        },
    )
    opened = FormationRound.objects.get()
    assert response.status_code == 302 and response.url == opened.get_absolute_url()
    assert opened.title == "Autumn crews" and opened.size_max == 5


def test_opening_shows_refusals_on_the_form(client, host, congregation):
    client.force_login(host)
    response = client.post(
        f"/g/{congregation.slug}/rounds/new/",
        {
            "title": "Too big",
            "deadline": "2099-10-01T18:00",
            "size_min": 3,
            "size_max": 12,
            "min_common_minutes": 60,
            "meeting_minutes": 75,
        },
    )
    assert response.status_code == 200
    assert "hold at most 8 people" in _text(response)


def test_members_cannot_open_rounds_and_outsiders_see_nothing(
    client, member, congregation, round_, make_person
):
    client.force_login(member)
    assert client.get(f"/g/{congregation.slug}/rounds/new/").status_code == 404
    assert "Open a round" not in _text(client.get(f"/g/{congregation.slug}/rounds/"))
    client.force_login(make_person("Stranger"))
    assert client.get(f"/g/{congregation.slug}/rounds/").status_code == 404
    assert client.get(round_.get_absolute_url()).status_code == 404


def test_a_member_signs_up_with_details_prefilled_from_their_profile(
    client, round_, congregation, host, make_person
):
    person = join(
        make_person(
            "Pia",
            timezone="America/New_York",
            languages=["en", "de"],
            interests=["cycling"],
            availability="tue 18:00-20:00",
        ),
        congregation,
        host,
    )
    client.force_login(person)
    form = _text(client.get(f"/rounds/{round_.pk}/join/"))
    assert 'value="English, German"' in form
    assert "tue 18:00-20:00" in form
    assert '<option value="America/New_York" selected>' in form
    response = client.post(
        f"/rounds/{round_.pk}/join/",
        {
            "timezone": "America/New_York",
            "languages": "English, German",
            "interests": "cycling, Mutual aid",
            "availability": "tue 18:00-20:00",
        },
    )
    assert response.status_code == 302
    entry = RoundEntry.objects.get(round=round_, person=person)
    assert entry.languages == ["en", "de"] and entry.interests == ["cycling", "mutual aid"]
    page = _text(client.get(round_.get_absolute_url()))
    assert "You are signed up." in page
    client.post(f"/rounds/{round_.pk}/leave/")
    assert not RoundEntry.objects.filter(round=round_, person=person).exists()


def test_availability_errors_are_shown_where_they_are(client, round_, member):
    client.force_login(member)
    response = client.post(
        f"/rounds/{round_.pk}/join/",
        {"timezone": "UTC", "languages": "en", "availability": "someday 10:00-11:00"},
    )
    assert response.status_code == 200
    assert "At character" in _text(response)


def test_the_host_previews_each_crew_with_its_why_and_the_worst_highlighted(
    client, host, round_, congregation, make_person
):
    members_signed_up(
        round_,
        congregation,
        host,
        make_person,
        ["Ana", "Bo", "Cy"],
        timezone_name="Europe/Lisbon",
        interests=["gardening", "cycling"],
        availability="mon 18:00-20:00",
    )
    members_signed_up(
        round_,
        congregation,
        host,
        make_person,
        ["Di", "Ed"],
        timezone_name="America/New_York",
        interests=["parenting"],
        availability="mon 13:00-15:00",
    )
    members_signed_up(
        round_,
        congregation,
        host,
        make_person,
        ["Flo"],
        timezone_name="Europe/Lisbon",
        interests=["chess"],
        availability="mon 18:00-20:00",
    )
    client.force_login(host)
    client.post(f"/rounds/{round_.pk}/form/")
    page = _text(client.get(round_.get_absolute_url()))
    assert "Why this crew" in page
    # New Yorkers see the shared Monday time in their own zone, Lisbon people in theirs.
    assert "Di: mon 13:00-15:00" in page and "(America/New_York)" in page
    assert "Ana: mon 18:00-20:00" in page
    assert "Languages: English" in page
    assert "The weakest fit in this proposal" in page
    assert page.count('class="round-crew worst"') == 1


def test_unplaced_people_are_listed_with_reasons(
    client, host, round_, six, congregation, make_person
):
    members_signed_up(
        round_, congregation, host, make_person, ["Lone"], availability="sun 03:00-04:00"
    )
    client.force_login(host)
    client.post(f"/rounds/{round_.pk}/form/")
    page = _text(client.get(round_.get_absolute_url()))
    assert "Not placed" in page
    assert "Lone: Nobody who speaks one of their languages is free for the same 60 minutes" in page
    # The one change that would place them: a window when six possible crew-mates are free.
    assert "What would place them:" in page
    assert "If they could also be free mon 18:00-19:00 (their time), 6 possible crew-mates" in page


def test_pin_move_rerun_and_publish_work_as_plain_forms(client, host, round_, six):
    ana, bo = six[:2]
    client.force_login(host)
    client.post(
        f"/rounds/{round_.pk}/pins/", {"first": ana.pk, "kind": "together", "second": bo.pk}
    )
    assert round_.pins.get().kind == PinKind.TOGETHER
    # A contradiction comes back as a message on the page.
    response = client.post(
        f"/rounds/{round_.pk}/pins/",
        {"first": bo.pk, "kind": "apart", "second": ana.pk},
        follow=True,
    )
    assert "already pinned together" in _text(response)
    client.post(f"/rounds/{round_.pk}/form/")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PREVIEW
    crews = list(round_.proposed_crews.all())
    ana_crew = ProposedMember.objects.get(crew__round=round_, person=ana).crew
    other = next(c for c in crews if c != ana_crew)
    page = _text(client.get(round_.get_absolute_url()))
    assert f'name="version" value="{round_.proposal_version}"' in page
    client.post(
        f"/rounds/{round_.pk}/move/",
        {"person": ana.pk, "to": str(other.pk), "version": round_.proposal_version},
    )
    assert ProposedMember.objects.get(crew__round=round_, person=ana).crew == other
    page = _text(client.get(round_.get_absolute_url()))
    assert "moved by a host" in page
    assert "is pinned together with Bo, who is not in this crew" in page
    # Publishing with the version seen before the move is refused, with the reason.
    stale = client.post(f"/rounds/{round_.pk}/publish/", {"version": 1}, follow=True)
    assert "The proposal changed since you looked" in _text(stale)
    client.post(f"/rounds/{round_.pk}/form/")
    round_.refresh_from_db()
    assert round_.proposal_version == 3
    done = client.post(
        f"/rounds/{round_.pk}/publish/", {"version": round_.proposal_version}, follow=True
    )
    assert "Published" in _text(done)
    assert Group.objects.filter(scale=Scale.CREW).count() == 2
    again = client.post(f"/rounds/{round_.pk}/publish/", {"version": 3}, follow=True)
    assert "already published by Hana Host" in _text(again)


def test_members_see_their_crew_after_publishing_but_never_the_proposal(client, host, round_, six):
    formed = round_propose(by=host, formation_round=round_)
    client.force_login(six[0])
    page = _text(client.get(round_.get_absolute_url()))
    assert "Why this crew" not in page and "Publish" not in page
    assert client.post(f"/rounds/{round_.pk}/publish/", {"version": 1}).status_code == 404
    round_publish(by=host, formation_round=formed, seen_version=1)
    page = _text(client.get(round_.get_absolute_url()))
    assert "Go to your crew" in page


def test_a_running_round_shows_a_progress_bar_that_polls_and_works_without_js(
    client, host, round_, six
):
    round_.status = RoundStatus.RUNNING
    round_.progress = 0.4
    round_.progress_note = "Forming crews for 6 people: 40%"
    round_.save(update_fields=["status", "progress", "progress_note"])
    client.force_login(host)
    page = _text(client.get(round_.get_absolute_url()))
    assert '<progress id="round-progress-bar" value="40" max="100"' in page
    assert "40% · Forming crews for 6 people: 40%" in page
    assert f'hx-get="/rounds/{round_.pk}/progress/" hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "Refresh this page" in page
    partial = _text(client.get(f"/rounds/{round_.pk}/progress/", headers={"HX-Request": "true"}))
    assert partial.strip().startswith('<section id="round-progress"')
    assert "<html" not in partial
    round_.status = RoundStatus.PREVIEW
    round_.save(update_fields=["status"])
    done = client.get(f"/rounds/{round_.pk}/progress/", headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_the_round_page_needs_few_queries(client, host, round_, six, django_assert_max_num_queries):
    round_propose(by=host, formation_round=round_)
    client.force_login(host)
    client.get(round_.get_absolute_url())
    with django_assert_max_num_queries(25):
        client.get(round_.get_absolute_url())


def test_a_member_can_update_details_without_signing_up_twice(client, round_, member):
    sign_up(round_, member)
    client.force_login(member)
    page = _text(client.get(f"/rounds/{round_.pk}/join/"))
    assert "Your details for this round" in page
