"""Outreach in the browser, on a phone: a visitor subscribes without an account and confirms,
the host writes, previews and sends an issue, the visitor unsubscribes in one click; axe
scans each page and no page scrolls sideways at 390 px."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


# What sticks out on the right, to name it when a page does not fit.
WIDER = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 60))"""


def _fits(page) -> None:
    wider = page.evaluate(WIDER)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wider


def _link(pattern: str) -> str:
    found = re.search(pattern, mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_subscribe_confirm_send_and_unsubscribe(
    new_page, axe_check, congregation, host, settings, live_server
):
    from allauth.account.models import EmailAddress

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])

    visitor = new_page(viewport=PHONE)
    visitor.goto(congregation.get_absolute_url())
    visitor.get_by_role("link", name="Newsletter").click()
    axe_check(visitor)
    _fits(visitor)
    visitor.get_by_label("Your email address").fill("reader@example.org")
    visitor.get_by_role("button", name="Subscribe").click()
    expect(visitor.get_by_role("status")).to_contain_text("confirm button is on its way")

    visitor.goto(_link(r"(http://\S+/newsletter/confirm/\S+/)"))
    axe_check(visitor)
    visitor.get_by_role("button", name="Yes, subscribe me").click()
    expect(visitor.get_by_role("status")).to_contain_text("Confirmed")

    writer = new_page(viewport=PHONE)
    writer.goto("/accounts/login/")
    writer.get_by_label(re.compile("Email", re.I)).fill(host.email)
    writer.get_by_label(re.compile("Password", re.I)).fill("a-long-test-password")
    writer.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    writer.goto(congregation.get_absolute_url())
    writer.get_by_role("link", name="Outreach").click()
    axe_check(writer)
    _fits(writer)
    writer.get_by_role("link", name="Write an issue").click()
    writer.get_by_label("Subject").fill("Winter news")
    writer.get_by_label("Text").fill("Soup on **Friday**, everyone welcome.")
    writer.get_by_role("button", name="Save and preview").click()
    expect(writer.locator("article strong")).to_have_text("Friday")
    axe_check(writer)
    _fits(writer)
    writer.get_by_role("button", name="Send to 1 person").click()
    expect(writer.get_by_text("1 of 1 handled")).to_be_visible()
    axe_check(writer)

    assert mail.outbox[-1].to == ["reader@example.org"]
    visitor.goto(_link(r"Unsubscribe in one click: (http://\S+/)"))
    axe_check(visitor)
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.get_by_role("status")).to_contain_text("you will receive nothing more")
    _fits(visitor)
