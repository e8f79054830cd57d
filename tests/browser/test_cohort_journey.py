"""A cohort in the browser: a host starts Vibes from the template, a learner signs up, goes
through the five modules with a breakout partner after each, and ends in a crew.

Where a real cohort waits days between sessions, the clock is moved (time-machine) and the
periodic work is called as cron would (`cohorts_tick`); the pages and clicks are the journey.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENINGS = "mon-fri 17:00-22:00"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def sign_in(page, axe_check, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def with_profile(person):
    person.profile.timezone = "Europe/Berlin"
    person.profile.languages = ["en"]
    person.profile.availability = EVENINGS
    person.profile.save(update_fields=["timezone", "languages", "availability"])
    return person


def no_sideways_scroll(page) -> bool:
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + ' ' +"
        " (e.textContent || '').slice(0, 40))"
    )
    assert not wide, wide[:5]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_from_sign_up_through_five_modules_to_the_crews(
    new_page, axe_check, verified_person, make_person, congregation, host
):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from microsolidarity.crewing.models import RoundStatus
    from microsolidarity.crewing.round_lifecycle import round_opt_in
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.models import Cohort, SeatState
    from microsolidarity.programs.periodic import cohorts_tick
    from microsolidarity.programs.queries import my_crew
    from microsolidarity.programs.seats import seat_request

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    with_profile(host)
    lea = with_profile(verified_person("Lea Learner", "lea@example.org"))
    # Eleven in all: breakout partners are history for the formation round (crewing's rule),
    # so a cohort needs enough people for crews of strangers-until-now to exist.
    names = ("Abe", "Bea", "Cal", "Dot", "Eli", "Fay", "Gil", "Hua", "Ida", "Jon")
    others = [with_profile(make_person(name)) for name in names]

    # The host copies the Vibes template and starts a cohort from it: two forms.
    host_page = new_page()
    sign_in(host_page, axe_check, host.email)
    host_page.goto("/programs/")
    axe_check(host_page)
    host_page.get_by_label("Template", exact=True).select_option("vibes")
    host_page.get_by_role("button", name="Copy the template").click()
    expect(host_page.get_by_role("heading", level=1)).to_have_text("Vibes")
    axe_check(host_page)
    host_page.get_by_role("link", name="Edit “Why small groups”").click()
    axe_check(host_page)
    host_page.get_by_label("Reflection prompt").fill("Where do I belong, at each size?")
    host_page.get_by_role("button", name="Save the module").click()
    expect(host_page.get_by_text("Module saved.")).to_be_visible()
    host_page.get_by_role("button", name="Start a cohort").click()
    axe_check(host_page)
    first = timezone.localtime(timezone.now() + timedelta(days=1), timezone.get_default_timezone())
    host_page.get_by_label("When the first session starts, your local time").fill(
        first.strftime("%Y-%m-%dT18:00")
    )
    host_page.get_by_label("Your time zone").select_option("Europe/Berlin")
    host_page.get_by_label("Places").fill("12")
    host_page.get_by_role("button", name="Start the cohort").click()
    expect(host_page.get_by_text("The cohort is open for sign-ups.")).to_be_visible()
    axe_check(host_page)
    cohort = Cohort.objects.get()
    sessions = sessions_of(cohort)
    assert len(sessions) == 5

    # Lea finds it and signs up, on a phone: she lands on the first session's page.
    lea_page = new_page(viewport={"width": 390, "height": 844})
    sign_in(lea_page, axe_check, "lea@example.org")
    lea_page.goto("/programs/")
    lea_page.get_by_role("link", name=cohort.title).click()
    axe_check(lea_page)
    assert no_sideways_scroll(lea_page)
    lea_page.get_by_role("button", name="Sign up").click()
    expect(lea_page.get_by_text("You are in. Here is your next session.")).to_be_visible()
    expect(lea_page.get_by_role("heading", level=1)).to_have_text("Session 1: Why small groups")
    axe_check(lea_page)
    assert no_sideways_scroll(lea_page)
    for person in others:
        assert seat_request(person=person, cohort=cohort).seat.state == SeatState.GOING

    partners_met = []
    traveller = None
    try:
        for session in sessions:
            # The clock moves to a few minutes into this session; cron runs.
            if traveller is not None:
                traveller.stop()
            traveller = time_machine.travel(session.starts_at + timedelta(minutes=5), tick=True)
            traveller.start()
            cohorts_tick()
            lea_page.goto(cohort.get_absolute_url())
            lea_page.get_by_role("link", name=session.module.title).click()
            expect(lea_page.get_by_role("heading", level=1)).to_have_text(
                f"Session {session.number}: {session.module.title}"
            )
            expect(lea_page.get_by_role("heading", name="What we practise")).to_be_visible()
            axe_check(lea_page)
            if session.number < len(sessions):
                partner = lea_page.get_by_role("heading", name=re.compile("breakout partner"))
                expect(partner).to_be_visible()
                partners_met.append(
                    lea_page.locator("section", has=partner).locator("p").first.inner_text()
                )

        # The last module opened the formation round; Lea signs up for a crew from it.
        lea_page.get_by_role("button", name="Sign up for a crew").click()
        axe_check(lea_page)
        lea_page.get_by_role("button", name="Sign up for a crew").click()
        expect(
            lea_page.get_by_label("When you could meet each week, in your own time")
        ).to_have_value(EVENINGS)
        lea_page.get_by_role("button", name="Sign me up").click()
        expect(lea_page.get_by_text("You're in.")).to_be_visible()
        cohort.refresh_from_db()
        round_ = cohort.formation_round
        for person in others:
            round_opt_in(
                person=person,
                formation_round=round_,
                timezone_name="Europe/Berlin",
                languages=["en"],
                interests=[],
                availability=EVENINGS,
            )

        # The facilitator forms crews from the cohort page's link and publishes them.
        host_page.goto(cohort.get_absolute_url())
        host_page.get_by_role("link", name=round_.title).click()
        host_page.get_by_role("button", name="Form crews").click()
        expect(host_page.get_by_text("A proposal is ready")).to_be_visible()
        axe_check(host_page)
        host_page.get_by_role("button", name="Publish these crews").click()
        round_.refresh_from_db()
        assert round_.status == RoundStatus.PUBLISHED

        # Back on the cohort page, Lea sees her crew.
        lea_page.goto(cohort.get_absolute_url())
        crew = my_crew(lea, cohort)
        assert crew is not None
        expect(lea_page.get_by_role("link", name=crew.name)).to_be_visible()
        axe_check(lea_page)
    finally:
        if traveller is not None:
            traveller.stop()

    # Her pathway, private to her, shows the crew beside her own view of herself.
    lea_page.goto("/me/pathway/")
    axe_check(lea_page)
    assert no_sideways_scroll(lea_page)
    lea_page.get_by_label("Listening to one person without fixing").select_option("3")
    lea_page.get_by_role("button", name="Save").click()
    expect(lea_page.get_by_text("Saved. Only you can see this.")).to_be_visible()
    expect(lea_page.get_by_role("link", name=crew.name, exact=True)).to_be_visible()

    # Four breakouts, four different partners; and the crew has its first cycle.
    assert len(partners_met) == 4 and len(set(partners_met)) == 4
    assert crew.crew_cycles.get().meetings.count() == crew.memberships.count()
