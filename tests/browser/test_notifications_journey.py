"""On a phone, a host sees the count of news in the header, opens the list, and follows one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_host_on_a_phone_sees_the_count_and_follows_a_request(
    new_page, axe_check, verified_person, congregation, host, make_person
):
    from allauth.account.models import EmailAddress

    from microsolidarity.groups.services import membership_request

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])
    membership_request(person=make_person("Ari Asker"), group=congregation)

    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(host.email)
    page.get_by_label(re.compile("Password", re.I)).fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()

    count = page.get_by_role("link", name="Notifications (1 unread)")
    expect(count).to_be_visible()
    expect(count).to_have_text("Notifications (1)")
    # The header fits the phone: nothing pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)

    count.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    axe_check(page)
    page.get_by_role("link", name=re.compile("Ari Asker asks to join")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Congregation")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
