"""Double opt-in and one-click unsubscribe: no mail to anyone who did not confirm."""

import re

import pytest
from django.urls import reverse

from microsolidarity.errors import RuleBroken
from microsolidarity.outreach import newsletter
from microsolidarity.outreach.models import Subscription, SubscriptionState

pytestmark = pytest.mark.usefixtures("immediate_tasks", "local_targets")


def _link(mail) -> str:
    return re.search(r"https://site\.example(/newsletter/confirm/[^/\s]+/)", mail.body).group(1)


def test_subscribing_sends_one_confirm_mail_and_nothing_else(
    client, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("newsletter_subscribe", args=[congregation.slug]), {"email": "ana@example.org"}
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get(email="ana@example.org")
    assert subscription.state == SubscriptionState.PENDING
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert "Confirm" in mailoutbox[0].subject


def test_the_confirm_link_shows_a_button_and_only_the_post_confirms(
    client, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.subscription_request(group=congregation, email="ana@example.org")
    link = _link(mailoutbox[0])
    page = client.get(link)
    assert page.status_code == 200 and b"Yes, subscribe me" in page.content
    # A mail scanner that follows links (a GET) must not subscribe anyone.
    assert Subscription.objects.get().state == SubscriptionState.PENDING
    client.post(link)
    subscription = Subscription.objects.get()
    assert subscription.state == SubscriptionState.CONFIRMED and subscription.confirmed_at


def test_an_issue_reaches_only_confirmed_subscribers(
    host, congregation, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("yes@example.org")
    newsletter.subscription_request(group=congregation, email="maybe@example.org")
    issue = newsletter.issue_create(
        by=host,
        group=congregation,
        subject="Spring news",
        body="Hello **all**",
        segment="subscribers",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter.issue_send(by=host, issue=issue, expected_count=1) == 1
    assert [m.to for m in mailoutbox] == [["yes@example.org"]]


def test_every_issue_carries_rfc_8058_one_click_headers(
    host, congregation, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscribe("yes@example.org")
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="News", body="# Title\n\ntext", segment="subscribers"
    )
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(by=host, issue=issue)
    mail = mailoutbox[-1]
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    expected = "https://site.example" + reverse("newsletter_unsubscribe", args=[subscription.token])
    assert mail.extra_headers["List-Unsubscribe"] == f"<{expected}>"
    html = mail.alternatives[0].content
    assert "<h1>Title</h1>" in html and expected in html


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(congregation, subscribe):
    from django.test import Client

    subscription = subscribe("yes@example.org")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("newsletter_unsubscribe", args=[subscription.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.UNSUBSCRIBED


def test_a_get_of_the_unsubscribe_link_only_asks(client, subscribe):
    subscription = subscribe("yes@example.org")
    page = client.get(reverse("newsletter_unsubscribe", args=[subscription.token]))
    assert page.status_code == 200 and b"<button" in page.content
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.CONFIRMED


def test_unsubscribed_addresses_get_no_more_issues(
    host, congregation, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    gone = subscribe("gone@example.org")
    subscribe("stays@example.org")
    newsletter.subscription_unsubscribe(token=gone.token)
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="News", body="text", segment="subscribers"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.issue_send(by=host, issue=issue)
    assert [m.to for m in mailoutbox] == [["stays@example.org"]]


def test_confirming_after_unsubscribing_is_refused(subscribe):
    subscription = subscribe("yes@example.org")
    newsletter.subscription_unsubscribe(token=subscription.token)
    with pytest.raises(RuleBroken):
        newsletter.subscription_confirm(token=subscription.token)


def test_subscribing_again_does_not_tell_whether_the_address_is_known(
    client, congregation, subscribe
):
    subscribe("known@example.org")
    url = reverse("newsletter_subscribe", args=[congregation.slug])
    known = client.post(url, {"email": "known@example.org"}, follow=True)
    fresh = client.post(url, {"email": "fresh@example.org"}, follow=True)
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in fresh.context["messages"]
    ]


def test_a_signed_in_person_with_a_verified_address_is_subscribed_at_once(
    client, congregation, member
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client.force_login(member)
    client.post(reverse("newsletter_subscribe", args=[congregation.slug]), {"email": member.email})
    subscription = Subscription.objects.get()
    assert subscription.state == SubscriptionState.CONFIRMED and subscription.person == member


def test_a_bad_address_is_refused_with_a_message(client, congregation):
    response = client.post(
        reverse("newsletter_subscribe", args=[congregation.slug]), {"email": "not-an-address"}
    )
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert response.context["form"].errors["email"]


def test_a_bounce_stops_mail_to_the_address(host, congregation, subscribe, mailoutbox):
    from django.core.management import call_command

    subscription = subscribe("bouncy@example.org")
    call_command("newsletter_bounce", "bouncy@example.org")
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.BOUNCED and subscription.bounced_at


def test_a_crew_has_no_newsletter(client, congregation, host):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    crew = group_create(by=host, name="A crew", scale=Scale.CREW, parent=congregation)
    assert client.get(reverse("newsletter_subscribe", args=[crew.slug])).status_code == 404
    with pytest.raises(RuleBroken):
        newsletter.subscription_request(group=crew, email="x@example.org")
