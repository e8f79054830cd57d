"""A camp's agenda: a member proposes a session, the host places it, the schedule prints."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, axe_check, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_session_is_proposed_placed_and_printed(
    new_page, axe_check, verified_person, congregation, host
):
    from allauth.account.models import EmailAddress

    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.services import membership_approve, membership_request

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])
    mia = verified_person("Mia Member", "mia@example.org")
    membership_approve(
        by=host, membership=membership_request(person=mia, group=congregation).membership
    )
    lisbon = ZoneInfo("Europe/Lisbon")
    day = (datetime.now(lisbon) + timedelta(days=30)).date()
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=lisbon)
    camp = gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        starts_at=starts,
        ends_at=starts + timedelta(days=2),
        host_timezone="Europe/Lisbon",
        kind="camp",
        mode="in_person",
        place="The old farm",
    )
    camp.rooms = ["Barn", "Meadow"]
    camp.save(update_fields=["rooms"])
    agenda_url = f"/gatherings/{camp.slug}/{camp.occurrences.get().pk}/agenda/"

    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, axe_check, "mia@example.org")
    page.goto(agenda_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    axe_check(page)
    page.get_by_label("Session title").fill("Songs by the fire")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("Your session is proposed")
    expect(page.get_by_text("1 interested")).to_be_visible()
    axe_check(page)

    host_page = new_page()
    sign_in(host_page, axe_check, host.email)
    host_page.goto(agenda_url)
    session = host_page.get_by_role("article", name="Songs by the fire")
    session.get_by_text("Place in the schedule").click()
    axe_check(host_page)
    session.get_by_label("Starts (Europe/Lisbon time)").fill(f"{day.isoformat()}T11:00")
    session.get_by_role("combobox", name="Room").select_option("Meadow")
    session.get_by_role("button", name="Place", exact=True).click()
    expect(host_page.get_by_role("status")).to_contain_text("is in the schedule")
    axe_check(host_page)

    host_page.get_by_role("link", name="Printable schedule").click()
    table = host_page.get_by_role("table")
    expect(table).to_contain_text("Songs by the fire")
    expect(table.get_by_role("row").filter(has_text="Songs")).to_contain_text("11:00")
    axe_check(host_page)
    host_page.emulate_media(media="print")
    expect(host_page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(table).to_be_visible()
