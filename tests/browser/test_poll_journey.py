"""Two members in two time zones find a time, the poll makes the gathering, and the waitlist
promotes the second when the first cancels."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISBON = ZoneInfo("Europe/Lisbon")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


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


def shown(moment: datetime, zone: ZoneInfo) -> str:
    """How the poll page writes a time: 'Wednesday 6 January 2027, 18:00'."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M}"


def test_a_time_poll_becomes_a_gathering_and_the_waitlist_promotes(
    new_page, axe_check, verified_person, congregation, host
):
    from django.core import mail

    from microsolidarity.gatherings.models import Gathering, RsvpState
    from microsolidarity.groups.services import membership_approve, membership_request

    ana = verified_person("Ana Asker", "ana@example.org")
    ben = verified_person("Ben Bay", "ben@example.org")
    for person, zone in ((ana, "Europe/Lisbon"), (ben, "America/Los_Angeles")):
        person.profile.timezone = zone
        person.profile.save(update_fields=["timezone"])
        result = membership_request(person=person, group=congregation)
        membership_approve(by=host, membership=result.membership)

    # Two evenings a month ahead, 18:00 and 19:30 in Lisbon, wherever the clocks stand then.
    day = (datetime.now(LISBON) + timedelta(days=30)).date()
    first = datetime(day.year, day.month, day.day, 18, 0, tzinfo=LISBON)
    second = first + timedelta(days=1, minutes=90)

    # Ana asks, entering the times in her own time zone.
    ana_page = new_page()
    sign_in(ana_page, axe_check, "ana@example.org")
    ana_page.goto(f"/g/{congregation.slug}/polls/new/")
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Ask for a time")
    axe_check(ana_page)
    expect(ana_page.get_by_label("The times below are in")).to_have_value("Europe/Lisbon")
    ana_page.get_by_label("What it is for").fill("Harvest call")
    for n, starts in ((1, first), (2, second)):
        row = ana_page.get_by_role("group", name=f"Time {n}", exact=True)
        row.get_by_label("Day").fill(starts.date().isoformat())
        row.get_by_label("From").fill(f"{starts:%H:%M}")
        row.get_by_label("To").fill(f"{starts + timedelta(hours=1):%H:%M}")
    ana_page.get_by_role("button", name="Ask", exact=True).click()
    expect(ana_page.get_by_role("status")).to_contain_text("Your poll is ready")
    expect(ana_page.get_by_role("heading", level=1)).to_have_text("Harvest call")
    axe_check(ana_page)
    poll_url = ana_page.url

    # Ana sees her own times, and says yes to the first and if need be to the second.
    ana_first = ana_page.get_by_role("group", name=re.compile(re.escape(shown(first, LISBON))))
    ana_second = ana_page.get_by_role("group", name=re.compile(re.escape(shown(second, LISBON))))
    ana_first.get_by_label("Yes").check()
    ana_second.get_by_label("If need be").check()
    ana_page.get_by_role("button", name="Save my answers").click()
    expect(ana_page.get_by_role("status")).to_contain_text("your answers are saved")
    axe_check(ana_page)

    # Ben, in Los Angeles, sees the same times in his own zone, and Ana's beside them.
    ben_page = new_page(viewport={"width": 390, "height": 844})
    sign_in(ben_page, axe_check, "ben@example.org")
    ben_page.goto(poll_url)
    expect(
        ben_page.get_by_text("Times are shown in your time zone, America/Los_Angeles.")
    ).to_be_visible()
    ben_first = ben_page.get_by_role("group", name=re.compile(re.escape(shown(first, LOS_ANGELES))))
    expect(ben_first).to_contain_text(f"{shown(first, LISBON).rsplit(' ', 1)[0]}")
    expect(ben_first).to_contain_text("for the asker (Europe/Lisbon)")
    ben_second = ben_page.get_by_role(
        "group", name=re.compile(re.escape(shown(second, LOS_ANGELES)))
    )
    expect(ben_second).to_be_visible()
    assert shown(first, LOS_ANGELES) != shown(first, LISBON)
    axe_check(ben_page)
    ben_first.get_by_label("Yes").check()
    ben_second.get_by_label("No").check()
    ben_page.get_by_role("button", name="Save my answers").click()
    expect(ben_page.get_by_role("status")).to_contain_text("your answers are saved")
    expect(ben_page.locator("#best-slot")).to_contain_text("Best time so far:")
    expect(ben_page.locator("#best-slot")).to_contain_text(
        shown(first, LOS_ANGELES).replace(f" {first.year}", "")
    )
    expect(ben_first).to_contain_text("2 yes · 0 if need be · 0 no")
    expect(ben_first).to_contain_text("Best so far")
    # Only the one who asked (or a group host) closes the poll.
    expect(ben_page.get_by_role("button", name="Close and schedule")).to_have_count(0)

    # Ana closes the poll on the best time, with one seat.
    ana_page.reload()
    axe_check(ana_page)
    ana_page.get_by_label("Seats (optional)").fill("1")
    ana_page.get_by_role("button", name="Close and schedule").click()
    expect(ana_page.get_by_role("status")).to_contain_text("Harvest call is scheduled")
    axe_check(ana_page)
    gathering = Gathering.objects.get()
    assert gathering.starts_at == first
    assert gathering.capacity == 1
    ana_page.get_by_role("button", name="Go to Harvest call").click()
    expect(ana_page.get_by_role("heading", level=1)).to_contain_text("Harvest call")
    axe_check(ana_page)

    # Ana takes the one seat; Ben is waitlisted.
    ana_page.get_by_role("button", name="I'm going").click()
    expect(ana_page.get_by_text("You're going.", exact=True)).to_be_visible()
    # The outcome shows in the swapped block itself, where the answer was given.
    expect(ana_page.get_by_role("status").get_by_text("See you there.")).to_be_visible()
    axe_check(ana_page)

    ben_page.goto(gathering.get_absolute_url())
    axe_check(ben_page)
    ben_page.get_by_role("button", name="Join the waitlist").click()
    expect(ben_page.get_by_text("You're number 1 on the waitlist. If a seat frees")).to_be_visible()
    axe_check(ben_page)
    occurrence = gathering.occurrences.get()
    assert occurrence.rsvps.get(person=ben).state == RsvpState.WAITLISTED

    # Ana can't come after all: Ben gets the seat, and an email says so.
    mail.outbox.clear()
    ana_page.get_by_role("button", name="I can't come after all").click()
    expect(ana_page.get_by_text("You said you're not going.")).to_be_visible()
    axe_check(ana_page)

    ben_page.reload()
    expect(ben_page.get_by_text("You're going.")).to_be_visible()
    axe_check(ben_page)
    assert occurrence.rsvps.get(person=ben).state == RsvpState.GOING
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]
    assert "Harvest call" in mail.outbox[0].subject


def test_find_a_time_turns_shared_availability_into_a_poll(
    new_page, axe_check, verified_person, congregation, host
):
    from microsolidarity.gatherings.models import TimePoll
    from microsolidarity.groups.services import membership_approve, membership_request

    ana = verified_person("Ana Asker", "ana@example.org")
    ben = verified_person("Ben Bay", "ben@example.org")
    for person, zone, text in (
        (ana, "Europe/Lisbon", "mon-fri 17:00-21:00"),
        (ben, "America/Los_Angeles", "mon-fri 09:00-13:00"),
    ):
        person.profile.timezone = zone
        person.profile.availability = text
        person.profile.save(update_fields=["timezone", "availability"])
        result = membership_request(person=person, group=congregation)
        membership_approve(by=host, membership=result.membership)

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, axe_check, "ana@example.org")
    page.goto(f"/g/{congregation.slug}/find-a-time/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a time")
    axe_check(page)
    expect(page.get_by_text("2 of 3 active members shared their availability.")).to_be_visible()
    expect(page.get_by_text("2 free").first).to_be_visible()
    page.get_by_label("What it is for").fill("Crew call")
    page.get_by_role("button", name="Ask the group with these times").click()
    expect(page.get_by_role("status")).to_contain_text("Your poll is ready")
    axe_check(page)
    poll = TimePoll.objects.get()
    assert poll.slots.count() == 3
    assert poll.timezone == "Europe/Lisbon"
