"""A newcomer signs in, finds a congregation, asks to join, and a host approves."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, axe_check, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_newcomer_requests_to_join_and_host_approves(
    new_page, axe_check, verified_person, network, host
):
    from allauth.account.models import EmailAddress

    from microsolidarity.groups.models import JoinPolicy, Membership, MembershipState, Scale
    from microsolidarity.groups.services import group_create

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])
    group_create(
        by=host,
        name="Harbour Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.REQUEST,
        region="Lisbon",
    )
    newcomer = verified_person("Nora Newcomer", "nora@example.org")

    page = new_page()
    page.goto("/")
    axe_check(page)
    sign_in(page, axe_check, "nora@example.org")
    axe_check(page)

    page.get_by_role("link", name="Explore", exact=True).click()
    page.get_by_label("Search").fill("Harbour")
    page.get_by_label("Scale").select_option("congregation")
    with page.expect_navigation(url=re.compile(r"/groups/\?q=Harbour")):
        page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("link", name="Harbour Congregation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Congregation")
    axe_check(page)

    page.get_by_text("Ask to join").click()
    page.get_by_label(re.compile("A few words")).fill("I came to the last gathering.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is with the hosts of Harbour")
    axe_check(page)

    host_page = new_page(viewport={"width": 390, "height": 844})
    sign_in(host_page, axe_check, host.email)
    host_page.get_by_role("link", name=re.compile("Nora Newcomer asks to join")).click()
    axe_check(host_page)
    host_page.get_by_role("button", name="Approve Nora Newcomer").click()
    expect(host_page.get_by_role("status")).to_contain_text("Nora Newcomer is now a member.")

    membership = Membership.objects.get(person=newcomer, group__name="Harbour Congregation")
    assert membership.state == MembershipState.ACTIVE
    assert membership.tier == "Friend"

    # On a phone, the host changes the newcomer's tier from the members page and comes back to it.
    host_page.get_by_role("link", name=re.compile("change tiers or roles")).click()
    expect(host_page.get_by_role("heading", level=1)).to_have_text(
        "Members of Harbour Congregation"
    )
    axe_check(host_page)
    # The member rows fit a phone (the site's navigation is base.html's, checked elsewhere).
    assert host_page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".every(e => e.getBoundingClientRect().right <= window.innerWidth)"
    )
    row = host_page.locator("details", has_text="Nora Newcomer")
    row.get_by_text("Change Nora Newcomer's tier or role").click()
    row.get_by_label("Tier").select_option("Partner")
    row.get_by_role("button", name="Set tier").click()
    expect(host_page.get_by_role("status")).to_contain_text("Nora Newcomer is now Partner.")
    expect(host_page.get_by_role("heading", level=1)).to_have_text(
        "Members of Harbour Congregation"
    )
    membership.refresh_from_db()
    assert membership.tier == "Partner"

    page.reload()
    expect(page.get_by_text("You are a Member here.")).to_be_visible()
    axe_check(page)
