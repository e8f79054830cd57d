"""Taking part: a member pledges, takes a role at a camp and borrows a book found from a
reading list; the host hands it over; every page is axe-clean and fits a phone."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def sign_in(page, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > innerWidth + 1).map(e => e.tagName + '.' + e.className + ' ' +"
        " (e.textContent || '').slice(0, 30)).slice(0, 5)"
    )
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px): {widest}"


def test_a_member_pledges_volunteers_and_borrows_a_book(
    new_page, axe_check, verified_person, congregation, host
):
    from allauth.account.models import EmailAddress

    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.services import membership_approve, membership_request
    from microsolidarity.library.reading_lists import reading_item_add, reading_list_create
    from microsolidarity.participation.bookshelf import copy_add
    from microsolidarity.participation.contributions import TierInput, contribution_page_save
    from microsolidarity.participation.volunteering import slot_create

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])
    mia = verified_person("Mia Member", "mia@example.org")
    membership_approve(
        by=host, membership=membership_request(person=mia, group=congregation).membership
    )
    contribution_page_save(
        by=host,
        group=congregation,
        intro="The room and the tea.",
        links=[{"label": "Open Collective", "url": "https://opencollective.example.org/r"}],
        sliding_scale="Give what you can.",
        tiers=[TierInput("Friend", Decimal("5"), "monthly", "Keeps the lights on.")],
    )
    starts = timezone.now() + timedelta(days=20)
    camp = gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        kind="camp",
        mode="in_person",
        place="The old farm",
        starts_at=starts,
        ends_at=starts + timedelta(days=2),
    )
    slot_create(by=host, gathering=camp, role="kitchen", count=1, description="Cook a meal.")
    copy = copy_add(by=host, shelf=congregation, title="Slow Trust", isbn="978-0-306-40615-7")
    reading_list = reading_list_create(by=host, owner=congregation, title="For new crews")
    reading_item_add(
        by=host, reading_list_id=reading_list.pk, isbn="0306406152", book_title="Slow Trust"
    )

    page = new_page(viewport=PHONE)
    sign_in(page, "mia@example.org")
    page.goto(f"/groups/{congregation.slug}/contribute/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contribute")
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("textbox", name="Amount").fill("12.50")
    page.get_by_role("button", name="Pledge").click()
    expect(page.get_by_text("Thank you: your pledge is saved.")).to_be_visible()
    expect(page.get_by_text("You pledged €12.50, every month.")).to_be_visible()

    page.goto(f"/gatherings/{camp.slug}/volunteer/")
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("button", name="I'll do it").click()
    expect(page.get_by_text("Thank you: you are Kitchen.")).to_be_visible()
    expect(page.get_by_role("button", name="Give it back")).to_be_visible()

    menu = page.locator("summary", has_text="Menu")
    if menu.is_visible():  # below 64rem the main menu folds behind "Menu"
        menu.click()
    page.get_by_role("link", name="Helping").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What I can help with")
    expect(page.get_by_role("link", name="Kitchen: Summer camp")).to_be_visible()
    axe_check(page)

    page.goto(f"/groups/{congregation.slug}/shelf/")
    axe_check(page)
    fits_a_phone(page)
    # From the reading list's book to its copies on the shelves, and asking for one.
    page.goto(reading_list.get_absolute_url())
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("link", name="Find it on a shelf: Slow Trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slow Trust")
    expect(page.get_by_text("On the shelf of Riverside Congregation")).to_be_visible()
    axe_check(page)
    fits_a_phone(page)
    page.get_by_role("button", name="I'd like to borrow it").click()
    expect(page.get_by_text("You are number 1 in line.").first).to_be_visible()
    axe_check(page)

    hosting = new_page()
    sign_in(hosting, host.email)
    hosting.goto(reading_list.get_absolute_url())
    axe_check(hosting)
    hosting.goto(f"/shelf/{copy.pk}/")
    hosting.get_by_role("button", name="Handed over to Mia Member").click()
    expect(hosting.get_by_text(re.compile("Lent to Mia Member until")).first).to_be_visible()
    hosting.goto(f"/groups/{congregation.slug}/ledger/")
    axe_check(hosting)
    hosting.goto(f"/gatherings/{camp.slug}/volunteer/")
    expect(hosting.get_by_text("Who to ask first (fewest times in this role)")).to_have_count(0)
    hosting.get_by_role("combobox", name="Role").select_option("welcomer")
    hosting.get_by_label("How many people").fill("2")
    hosting.get_by_role("button", name="Add the role").click()
    expect(hosting.get_by_text("Welcomer added.")).to_be_visible()
    expect(hosting.get_by_text("Who to ask first (fewest times in this role)")).to_be_visible()
    axe_check(hosting)

    page.reload()
    expect(page.get_by_text(re.compile("It is with you until"))).to_be_visible()
