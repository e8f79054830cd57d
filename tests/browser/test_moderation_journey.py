"""Moderation in the browser: a member reports a gathering, the host hides it from the queue,
and its author reads the notice and responds; axe scans each page on the way."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_moderation_report_hide_and_respond(
    new_page, axe_check, verified_person, congregation, host
):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import Role
    from microsolidarity.groups.services import host_assign, membership_approve, membership_request

    EmailAddress.objects.create(user=host, email=host.email, verified=True, primary=True)
    host.set_password("a-long-test-password")
    host.save(update_fields=["password"])
    mia = verified_person("Mia Member", "mia@example.org")
    cora = verified_person("Cora Cohost", "cora@example.org")
    for person in (mia, cora):
        membership_approve(
            by=host, membership=membership_request(person=person, group=congregation).membership
        )
    host_assign(by=host, group=congregation, person=cora, role=Role.CO_HOST)
    starts = timezone.now() + timedelta(days=4)
    gathering = gathering_create(
        by=cora,
        group=congregation,
        title="Loud evening",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )

    # A member reports the gathering from its page, without JavaScript needed.
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, "mia@example.org")
    page.goto(gathering.get_absolute_url())
    page.get_by_role("link", name="Report a concern about this gathering").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tell the hosts")
    axe_check(page)
    page.get_by_label("What happened?").fill("It promises things nobody agreed to.")
    page.get_by_role("button", name="Send to the hosts").click()
    expect(page.get_by_role("status")).to_contain_text("will read your report")

    # The host reads the queue and hides it.
    host_page = new_page()
    sign_in(host_page, host.email)
    host_page.goto(f"/g/{congregation.slug}/moderation/")
    expect(host_page.get_by_role("heading", level=1)).to_contain_text("Moderation")
    expect(host_page.get_by_text("It promises things nobody agreed to.")).to_be_visible()
    axe_check(host_page)
    host_page.get_by_role("link", name="Take a step").click()
    axe_check(host_page)
    host_page.get_by_label("Hide content").check()
    host_page.get_by_label("Reason").fill("Hidden while we talk it over.")
    host_page.get_by_role("button", name="Take this step").click()
    expect(host_page.get_by_role("status")).to_contain_text("is told by email")
    axe_check(host_page)

    # The member no longer finds it; the author reads the notice and responds.
    response = page.goto(gathering.get_absolute_url())
    assert response.status == 404
    author = new_page()
    sign_in(author, "cora@example.org")
    author.goto("/me/moderation/")
    expect(author.get_by_role("heading", level=1)).to_have_text("Moderation steps about you")
    expect(author.get_by_text("Hidden while we talk it over.")).to_be_visible()
    axe_check(author)
    author.get_by_label("Your response to the hosts").fill("I will change the description.")
    author.get_by_role("button", name="Send").click()
    expect(author.get_by_role("status")).to_contain_text("Your response is with the hosts")
    expect(author.get_by_text("I will change the description.")).to_be_visible()
    axe_check(author)
