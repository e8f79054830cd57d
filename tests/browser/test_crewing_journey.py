"""The whole crewing loop in the browser: a call, interest, the proto-crew and its meetings, a
retrospective that splits the crew, then a formation round that reunites nobody who met."""

import re
from datetime import timedelta
from itertools import combinations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENINGS = "mon-fri 18:00-21:00"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def sign_in(page, axe_check, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def member_of(congregation, host, person):
    """Joined, with the profile a round's sign-up form starts from."""
    from microsolidarity.groups.services import membership_approve, membership_request

    person.profile.timezone = "Europe/Berlin"
    person.profile.languages = ["en"]
    person.profile.interests = ["gardening"]
    person.profile.availability = EVENINGS
    person.profile.save(update_fields=["timezone", "languages", "interests", "availability"])
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


def test_a_call_becomes_a_crew_that_splits_and_the_next_round_mixes_people_anew(
    new_page, axe_check, verified_person, make_person, congregation, host
):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from microsolidarity.crewing.history import met_groups
    from microsolidarity.crewing.models import CrewCycle, CycleStatus, FormationRound, RoundStatus
    from microsolidarity.crewing.round_lifecycle import round_opt_in
    from microsolidarity.gatherings.models import Occurrence
    from microsolidarity.groups.models import Membership, MembershipState, Status

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    ana, ben, cy = (
        member_of(congregation, host, verified_person(name, email))
        for name, email in (
            ("Ana Caller", "ana@example.org"),
            ("Ben Bay", "ben@example.org"),
            ("Cy Coast", "cy@example.org"),
        )
    )
    others = [
        member_of(congregation, host, make_person(name))
        for name in ("Di Dune", "Ed Elm", "Flo Fern", "Gus Glen", "Hal Hill", "Ivy Isle")
    ]

    # Ana calls a crew.
    ana_page = new_page()
    sign_in(ana_page, axe_check, "ana@example.org")
    ana_page.goto(f"/g/{congregation.slug}/crewing/")
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Find your crew")
    axe_check(ana_page)
    ana_page.get_by_role("button", name="Call a crew").click()
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Call a crew")
    axe_check(ana_page)
    ana_page.get_by_label("What the crew is for").fill("Gardeners supporting each other")
    ana_page.get_by_label("Smallest crew").fill("3")
    ana_page.get_by_label("Largest crew").fill("4")
    ana_page.get_by_role("button", name="Post the call").click()
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Gardeners supporting each other")
    axe_check(ana_page)
    call_url = ana_page.url

    # Ben and Cy say they're interested.
    pages = {}
    for person, email in ((ben, "ben@example.org"), (cy, "cy@example.org")):
        page = pages[person.pk] = new_page(viewport={"width": 390, "height": 844})
        sign_in(page, axe_check, email)
        page.goto(call_url)
        axe_check(page)
        page.get_by_label("A few words to the caller (optional)").fill("Count me in")
        page.get_by_role("button", name="I'm interested").click()
        expect(page.get_by_text("The caller knows you're interested.").first).to_be_visible()
        axe_check(page)
    ben_page, cy_page = pages[ben.pk], pages[cy.pk]

    # Ana accepts both and forms the proto-crew at the first time they all share.
    ana_page.reload()
    for name in ("Ben Bay", "Cy Coast"):
        ana_page.get_by_role("button", name=f"Accept {name}").click()
        expect(ana_page.get_by_text(f"{name} · in")).to_be_visible()
    axe_check(ana_page)
    expect(ana_page.get_by_text("You all share a time")).to_be_visible()
    ana_page.get_by_label("The crew's name").fill("Garden Crew")
    ana_page.get_by_role("button", name="Form the crew and start its meetings").click()
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Garden Crew: cycle 1")
    axe_check(ana_page)
    cycle = CrewCycle.objects.select_related("crew").get()
    crew = cycle.crew
    cycle_url = ana_page.url

    # The cycle page names each meeting's focus and host; hosting rotates.
    rows = ana_page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(4)
    for number, (focus, host_name) in enumerate(
        (("Ana Caller", "Cy Coast"), ("Ben Bay", "Ana Caller"), ("Cy Coast", "Ben Bay")), 1
    ):
        row = rows.nth(number)
        expect(row.get_by_role("cell").nth(0)).to_have_text(f"Meeting {number}")
        expect(row.get_by_role("cell").nth(2)).to_have_text(focus)
        expect(row.get_by_role("cell").nth(3)).to_have_text(host_name)
    ana_page.get_by_role("link", name="Meeting 2").click()
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Meeting 2")
    expect(ana_page.get_by_text("Ben Bay").first).to_be_visible()
    axe_check(ana_page)

    # Time passes (setup, not the point): the three meetings lie behind them.
    now = timezone.now()
    for meeting in cycle.meetings.select_related("occurrence").order_by("number"):
        starts = now - timedelta(days=3 * (4 - meeting.number))
        Occurrence.objects.filter(pk=meeting.occurrence_id).update(
            starts_at=starts, ends_at=starts + timedelta(minutes=75)
        )

    # Each writes a retrospective and chooses to split.
    for page, worked in ((ana_page, "Listening"), (ben_page, "Honesty"), (cy_page, "Rhythm")):
        page.goto(cycle_url)
        axe_check(page)
        page.get_by_label("What worked").fill(worked)
        page.get_by_label("Split: end this crew").check()
        page.get_by_role("button", name="Save my retrospective").click()
        expect(page.get_by_role("heading", name="Retrospective")).to_be_visible()
    expect(cy_page.get_by_text("Everyone has answered")).to_be_visible()
    expect(cy_page.get_by_text("Listening")).to_be_visible()
    axe_check(cy_page)
    cycle.refresh_from_db()
    crew.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert crew.status == Status.CLOSED
    assert set(crew.memberships.values_list("state", flat=True)) == {MembershipState.ALUMNI}
    met_before = {frozenset(map(int, pair)) for pair in _pairs(met_groups(congregation))}
    assert met_before == {frozenset(p) for p in combinations((ana.pk, ben.pk, cy.pk), 2)}

    # The host opens a formation round of crews of three.
    host_page = new_page()
    sign_in(host_page, axe_check, host.email)
    host_page.goto(f"/g/{congregation.slug}/rounds/")
    axe_check(host_page)
    host_page.get_by_role("button", name="Open a round").click()
    expect(host_page.get_by_role("heading", level=1)).to_have_text("Open a formation round")
    axe_check(host_page)
    host_page.get_by_label("Title").fill("Autumn crews")
    host_page.get_by_label("Smallest crew").fill("3")
    host_page.get_by_label("Largest crew").fill("3")
    host_page.get_by_role("button", name="Open the round").click()
    expect(host_page.get_by_role("heading", level=1)).to_have_text("Autumn crews")
    axe_check(host_page)
    round_ = FormationRound.objects.get()
    round_url = host_page.url

    # Ana, Ben and Cy sign up on the page, their profile filled in; six others sign up too.
    for page in (ana_page, ben_page, cy_page):
        page.goto(round_url)
        axe_check(page)
        page.get_by_role("button", name="Sign up for a crew").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign up for Autumn crews")
        axe_check(page)
        expect(page.get_by_label("When you could meet each week, in your own time")).to_have_value(
            EVENINGS
        )
        page.get_by_role("button", name="Sign me up").click()
        expect(page.get_by_text("You're in.")).to_be_visible()
        axe_check(page)
    for person in others:
        round_opt_in(
            person=person,
            formation_round=round_,
            timezone_name="Europe/Berlin",
            languages=["en"],
            interests=["gardening"],
            availability=EVENINGS,
        )

    # The host forms crews, looks the proposal over, and publishes.
    host_page.reload()
    host_page.get_by_role("button", name="Form crews").click()
    expect(host_page.get_by_text("A proposal is ready")).to_be_visible()
    expect(host_page.get_by_text("The weakest fit in this proposal")).to_be_visible()
    axe_check(host_page)
    host_page.get_by_role("button", name="Publish these crews").click()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    axe_check(host_page)

    ana_page.goto(round_url)
    expect(ana_page.get_by_role("link", name="Go to your crew")).to_be_visible()
    axe_check(ana_page)

    # No new crew reunites two people who met, read from the memberships.
    new_crews = {}
    for membership in Membership.objects.filter(
        group__crew_cycles__formation_round=round_, state=MembershipState.ACTIVE
    ):
        new_crews.setdefault(membership.group_id, set()).add(membership.person_id)
    assert len(new_crews) == 3
    assert sorted(len(people) for people in new_crews.values()) == [3, 3, 3]
    for people in new_crews.values():
        assert not any(frozenset(pair) in met_before for pair in combinations(people, 2))
        assert len(people & {ana.pk, ben.pk, cy.pk}) == 1


def _pairs(groups):
    for group in groups:
        yield from combinations(group, 2)
